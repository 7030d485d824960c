package io.github.javaprometheus.jpa;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.Action;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Persistence units on real databases, and the families they count into. */
final class Units {
  static final Class<?>[] ENTITIES = {Book.class, Author.class, PenEntity.class, Note.class};
  /** Held, so the level sticks: Hibernate's start-up banner would drown the test output. */
  private static final java.util.logging.Logger HIBERNATE_LOG = quiet("org.hibernate");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  final PrometheusRegistry registry = new PrometheusRegistry();
  final ModelMetrics metrics;

  Units() {
    this(PrometheusSettings.defaults());
  }

  Units(PrometheusSettings settings) {
    metrics = ModelMetrics.create(MetricFamilies.create(settings, registry));
  }

  /** A SQLite file; writers take the lock at BEGIN and wait for each other, so threads never fail. */
  static HibernatePersistenceConfiguration sqlite(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(30_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file);
    return unit().property("jakarta.persistence.nonJtaDataSource", ds);
  }

  static HibernatePersistenceConfiguration postgres(String url, String user, String password) {
    return unit().jdbcUrl(url).jdbcCredentials(user, password).jdbcPoolSize(10);
  }

  private static HibernatePersistenceConfiguration unit() {
    return new HibernatePersistenceConfiguration("test")
        .managedClasses(ENTITIES)
        .schemaToolingAction(Action.CREATE_DROP);
  }

  /** A unit counting into {@link #metrics}. */
  EntityManagerFactory open(HibernatePersistenceConfiguration unit) {
    return unit.property(ModelMetricsIntegrator.METRICS_PROPERTY, metrics).createEntityManagerFactory();
  }

  TextScrape scrape() {
    return TextScrape.of(registry);
  }

  double value(String family, String model) {
    return scrape().valueOrZero("java_model_" + family + "_total{model=\"" + model + "\"}");
  }

  /** One committed transaction. */
  static void commit(EntityManagerFactory emf, Consumer<EntityManager> work) {
    EntityManager em = emf.createEntityManager();
    try {
      em.getTransaction().begin();
      work.accept(em);
      em.getTransaction().commit();
    } finally {
      if (em.getTransaction().isActive()) {
        em.getTransaction().rollback();
      }
      em.close();
    }
  }

  /** One transaction that flushes its writes and then rolls back. */
  static void rollBack(EntityManagerFactory emf, Consumer<EntityManager> work) {
    EntityManager em = emf.createEntityManager();
    try {
      em.getTransaction().begin();
      work.accept(em);
      em.flush();
      em.getTransaction().rollback();
    } finally {
      em.close();
    }
  }
}
