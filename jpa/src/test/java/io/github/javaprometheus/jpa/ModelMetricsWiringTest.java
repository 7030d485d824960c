package io.github.javaprometheus.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** How the families reach Hibernate and the JPA listener: property, defaults, profile, off. */
class ModelMetricsWiringTest {
  @TempDir Path dir;

  @AfterEach
  void listenerBackToItsDefault() {
    ModelMetricsListener.useMetrics(null);
  }

  private EntityManagerFactory sqlite(Object metricsProperty) {
    return Units.sqlite(dir.resolve("wiring.db"))
        .property(ModelMetricsIntegrator.METRICS_PROPERTY, metricsProperty)
        .createEntityManagerFactory();
  }

  @Test
  void theDjangoProfileExposesDjangoPrometheusNames() {
    Units units = new Units(PrometheusSettings.builder().set("prometheus.profile", "django").build());
    try (EntityManagerFactory emf = units.open(Units.sqlite(dir.resolve("django.db")))) {
      Units.commit(emf, em -> em.persist(new Book("Dune", 1)));
    }
    assertThat(units.scrape().samplesStartingWith("django_model_inserts_total"))
        .containsExactlyInAnyOrder(
            "django_model_inserts_total{model=\"Book\"} 1.0",
            "django_model_inserts_total{model=\"Note\"} 0.0",
            "django_model_inserts_total{model=\"Pen\"} 0.0",
            "django_model_inserts_total{model=\"writer\"} 0.0");
    assertThat(units.scrape().samplesStartingWith("java_")).isEmpty();
  }

  @Test
  void propertyFalseCountsNothingAndRegistersNoListener() {
    Units units = new Units();
    try (EntityManagerFactory emf = sqlite(false)) {
      ModelMetricsListener.useMetrics(units.metrics);
      Units.commit(emf, em -> em.persist(new Book("Dune", 1)));
      assertThat(CountingFactories.any()).isFalse();
    }
    assertThat(units.scrape().valueOrZero("java_model_inserts_total{model=\"Book\"}")).isZero();
  }

  @Test
  void withoutThePropertyTheDefaultSettingsAndTheDefaultRegistryAreUsed() {
    String series = "java_model_inserts_total{model=\"Author\"}";
    double before = TextScrape.of(PrometheusRegistry.defaultRegistry).valueOrZero(series);
    try (EntityManagerFactory emf = Units.sqlite(dir.resolve("default.db")).createEntityManagerFactory()) {
      // Author is labelled "writer": a series named "Author" never appears.
      Units.commit(emf, em -> em.persist(new Book("Dune", 1)));
      Units.commit(emf, em -> em.persist(new Book("Emma", 2)));
    }
    TextScrape after = TextScrape.of(PrometheusRegistry.defaultRegistry);
    assertThat(after.valueOrZero(series)).isEqualTo(before);
    assertThat(after.value("java_model_inserts_total{model=\"writer\"}")).isNotNull();
    assertThat(after.value("java_model_inserts_total{model=\"Book\"}")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void theEntityListenerCountsWhereTheHibernateListenersDoNot() {
    Units units = new Units();
    ModelMetricsListener.useMetrics(units.metrics);
    try (EntityManagerFactory emf = sqlite(false)) {
      Note note = new Note("hello");
      Units.commit(emf, em -> em.persist(note));
      Units.commit(emf, em -> em.find(Note.class, note.id).text = "bye");
      Units.commit(emf, em -> em.remove(em.find(Note.class, note.id)));
      // Books have no entity listener: with Hibernate's listeners off they are not seen.
      Units.commit(emf, em -> em.persist(new Book("Dune", 1)));
    }
    assertThat(units.scrape().samplesStartingWith("java_model_"))
        .containsExactlyInAnyOrder(
            "java_model_inserts_total{model=\"Note\"} 1.0",
            "java_model_updates_total{model=\"Note\"} 1.0",
            "java_model_deletes_total{model=\"Note\"} 1.0");
  }

  @Test
  void theEntityListenerDoesNothingWhileHibernatesListenersCount() {
    Units units = new Units();
    Units other = new Units();
    ModelMetricsListener.useMetrics(other.metrics);
    try (EntityManagerFactory emf = units.open(Units.sqlite(dir.resolve("both.db")))) {
      Units.commit(emf, em -> em.persist(new Note("hello")));
    }
    assertThat(units.value("inserts", "Note")).isEqualTo(1);
    assertThat(other.scrape().samplesStartingWith("java_model_")).isEmpty();
  }

  @Test
  void insideASpringTransactionTheEntityListenerCountsAtItsCommitOnly() {
    Units units = new Units();
    ModelMetricsListener.useMetrics(units.metrics);
    TransactionTemplate spring = new TransactionTemplate(new SynchronizingOnly());
    try (EntityManagerFactory emf = sqlite(false)) {
      spring.executeWithoutResult(
          status -> {
            Units.commit(emf, em -> em.persist(new Note("one")));
            // Written and flushed, but the Spring transaction it belongs to has not committed.
            assertThat(units.value("inserts", "Note")).isZero();
          });
      assertThat(units.value("inserts", "Note")).isEqualTo(1);

      spring.executeWithoutResult(
          status -> {
            Units.commit(emf, em -> em.persist(new Note("two")));
            status.setRollbackOnly();
          });
      assertThat(units.value("inserts", "Note")).isEqualTo(1);
    }
  }

  /**
   * Spring's own transaction synchronization around work whose resource (the JPA transaction
   * above) commits itself: enough to see when Spring reports a commit or a rollback.
   */
  static final class SynchronizingOnly extends AbstractPlatformTransactionManager {
    private static final long serialVersionUID = 1L;

    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {}

    @Override
    protected void doCommit(DefaultTransactionStatus status) {}

    @Override
    protected void doRollback(DefaultTransactionStatus status) {}
  }
}
