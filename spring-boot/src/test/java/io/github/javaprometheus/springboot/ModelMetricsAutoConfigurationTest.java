package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.jpa.ModelMetrics;
import io.github.javaprometheus.jpa.ModelMetricsIntegrator;
import io.github.javaprometheus.jpa.ModelMetricsListener;
import io.github.javaprometheus.springboot.models.Gadget;
import io.github.javaprometheus.springboot.models.Widget;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Model metrics in Spring Boot: Hibernate through Boot's JPA auto-configuration; each condition off. */
class ModelMetricsAutoConfigurationTest {
  @TempDir Path dir;

  private ApplicationContextRunner runner() {
    return withoutOwnRegistry().withUserConfiguration(OwnRegistry.class);
  }

  /** As {@link #runner()}; for prometheus.enabled=false, where no settings bean exists for OwnRegistry. */
  private ApplicationContextRunner withoutOwnRegistry() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusAutoConfiguration.class,
                ModelMetricsAutoConfiguration.class,
                DataSourceAutoConfiguration.class,
                HibernateJpaAutoConfiguration.class,
                TransactionAutoConfiguration.class))
        .withUserConfiguration(Entities.class)
        .withPropertyValues(
            "spring.datasource.url=jdbc:sqlite:" + dir.resolve("models.db"),
            "spring.datasource.hikari.maximum-pool-size=1",
            "spring.jpa.hibernate.ddl-auto=create");
  }

  @Configuration(proxyBeanMethods = false)
  @EntityScan(basePackageClasses = Gadget.class)
  static class Entities {}

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistry {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Bean
    MetricFamilies metricFamilies(PrometheusSettings settings) {
      return MetricFamilies.create(settings, registry);
    }
  }

  @AfterEach
  void listenerBackToItsDefault() {
    ModelMetricsListener.useMetrics(null);
  }

  private static TextScrape scrape(ApplicationContext ctx) {
    return TextScrape.of(ctx.getBean(OwnRegistry.class).registry);
  }

  /** A Spring-managed transaction, as a {@code @Transactional} service method runs. */
  private static void inTransaction(ApplicationContext ctx, boolean commit, Consumer<EntityManager> work) {
    EntityManager em =
        SharedEntityManagerCreator.createSharedEntityManager(ctx.getBean(EntityManagerFactory.class));
    new TransactionTemplate(ctx.getBean(PlatformTransactionManager.class))
        .executeWithoutResult(
            status -> {
              work.accept(em);
              em.flush();
              if (!commit) {
                status.setRollbackOnly();
              }
            });
  }

  @Test
  void hibernateCountsCommittedWritesOfEveryEntityFromZero() {
    runner()
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(ModelMetrics.class);
              assertThat(scrape(ctx).samplesStartingWith("java_model_"))
                  .containsExactlyInAnyOrder(
                      "java_model_inserts_total{model=\"Gadget\"} 0.0",
                      "java_model_updates_total{model=\"Gadget\"} 0.0",
                      "java_model_deletes_total{model=\"Gadget\"} 0.0",
                      "java_model_inserts_total{model=\"widget\"} 0.0",
                      "java_model_updates_total{model=\"widget\"} 0.0",
                      "java_model_deletes_total{model=\"widget\"} 0.0");
              Gadget gadget = new Gadget("lamp");
              inTransaction(ctx, true, em -> em.persist(gadget));
              inTransaction(ctx, true, em -> em.find(Gadget.class, gadget.id).name = "bulb");
              inTransaction(ctx, false, em -> em.persist(new Gadget("rolled back")));
              inTransaction(ctx, false, em -> em.remove(em.find(Gadget.class, gadget.id)));
              inTransaction(ctx, true, em -> em.persist(new Widget()));
              assertThat(scrape(ctx).samplesStartingWith("java_model_"))
                  .containsExactlyInAnyOrder(
                      "java_model_inserts_total{model=\"Gadget\"} 1.0",
                      "java_model_updates_total{model=\"Gadget\"} 1.0",
                      "java_model_deletes_total{model=\"Gadget\"} 0.0",
                      "java_model_inserts_total{model=\"widget\"} 1.0",
                      "java_model_updates_total{model=\"widget\"} 0.0",
                      "java_model_deletes_total{model=\"widget\"} 0.0");
              assertThat(ctx.getBean(EntityManagerFactory.class).getProperties())
                  .containsEntry(ModelMetricsIntegrator.METRICS_PROPERTY, ctx.getBean(ModelMetrics.class));
            });
  }

  @Test
  void theDjangoProfileNamesThemAsDjangoPrometheusDoes() {
    runner()
        .withPropertyValues("prometheus.profile=django")
        .run(
            ctx -> {
              inTransaction(ctx, true, em -> em.persist(new Gadget("lamp")));
              assertThat(scrape(ctx).value("django_model_inserts_total{model=\"Gadget\"}"))
                  .isEqualTo(1);
            });
  }

  @Test
  void offWithModelMetricsFalse() {
    runner()
        .withPropertyValues("prometheus.model-metrics=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().doesNotHaveBean(ModelMetrics.class);
              // Told to count nothing, rather than left to fall back to the default registry.
              assertThat(ctx.getBean(EntityManagerFactory.class).getProperties())
                  .containsEntry(ModelMetricsIntegrator.METRICS_PROPERTY, Boolean.FALSE);
              inTransaction(ctx, true, em -> em.persist(new Gadget("lamp")));
              assertThat(scrape(ctx).samplesStartingWith("java_model_")).isEmpty();
            });
  }

  @Test
  void offWhenPrometheusIsDisabled() {
    withoutOwnRegistry()
        .withPropertyValues("prometheus.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().doesNotHaveBean(ModelMetrics.class);
              assertThat(ctx.getBean(EntityManagerFactory.class).getProperties())
                  .containsEntry(ModelMetricsIntegrator.METRICS_PROPERTY, Boolean.FALSE);
            });
  }

  @Test
  void offWithoutTheJpaModule() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusAutoConfiguration.class, ModelMetricsAutoConfiguration.class))
        .withUserConfiguration(OwnRegistry.class)
        .withClassLoader(new FilteredClassLoader(ModelMetrics.class))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(ModelMetrics.class)
                    .doesNotHaveBean(HibernatePropertiesCustomizer.class));
  }

  @Test
  void withoutHibernateTheJpaListenerCountsIntoTheContextsFamilies() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusAutoConfiguration.class, ModelMetricsAutoConfiguration.class))
        .withUserConfiguration(OwnRegistry.class)
        .withClassLoader(new FilteredClassLoader(HibernatePropertiesCustomizer.class))
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasNotFailed()
                  .hasSingleBean(ModelMetrics.class)
                  .doesNotHaveBean(HibernatePropertiesCustomizer.class);
              // What another JPA provider does after writing a Gadget with @EntityListeners.
              new ModelMetricsListener().inserted(new Gadget("lamp"));
              assertThat(scrape(ctx).value("java_model_inserts_total{model=\"Gadget\"}"))
                  .isEqualTo(1);
            });
  }

  @Test
  void theApplicationsOwnModelMetricsAreUsed() {
    PrometheusRegistry own = new PrometheusRegistry();
    ModelMetrics mine =
        ModelMetrics.create(MetricFamilies.create(PrometheusSettings.defaults(), own));
    runner()
        .withBean(ModelMetrics.class, () -> mine)
        .run(
            ctx -> {
              assertThat(ctx.getBean(ModelMetrics.class)).isSameAs(mine);
              inTransaction(ctx, true, em -> em.persist(new Gadget("lamp")));
              assertThat(TextScrape.of(own).value("java_model_inserts_total{model=\"Gadget\"}"))
                  .isEqualTo(1);
            });
  }
}
