package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.migrations.MigrationMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Migration gauges in Spring Boot, from Boot's own Flyway and Liquibase; each condition off. */
class MigrationMetricsAutoConfigurationTest {
  @TempDir Path dir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusAutoConfiguration.class,
                MigrationMetricsAutoConfiguration.class,
                DataSourceAutoConfiguration.class))
        .withUserConfiguration(OwnRegistry.class)
        .withPropertyValues(
            "spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"),
            "spring.datasource.hikari.maximum-pool-size=1");
  }

  private ApplicationContextRunner flyway() {
    return runner()
        .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
        .withPropertyValues("spring.flyway.locations=classpath:db/flyway/three");
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistry {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Bean
    MetricFamilies metricFamilies(PrometheusSettings settings) {
      return MetricFamilies.create(settings, registry);
    }
  }

  private static TextScrape scrape(ApplicationContext ctx) {
    return TextScrape.of(ctx.getBean(OwnRegistry.class).registry);
  }

  private static String[] lines(String connection, long applied, long unapplied) {
    return new String[] {
      "java_migrations_applied{connection=\"" + connection + "\"} " + (double) applied,
      "java_migrations_unapplied{connection=\"" + connection + "\"} " + (double) unapplied
    };
  }

  private static void await(ApplicationContext ctx, String... expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline
        && !scrape(ctx).samplesStartingWith("java_migrations_").equals(java.util.List.of(expected))) {
      Thread.sleep(20);
    }
    assertThat(scrape(ctx).samplesStartingWith("java_migrations_")).containsExactly(expected);
  }

  @Test
  void flywaysStartUpMigrateIsReadBeforeTheContextIsReady() {
    flyway()
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(MigrationMetrics.class);
              // No waiting: read on the start-up thread, right after the migrate.
              assertThat(scrape(ctx).samplesStartingWith("java_migrations_"))
                  .containsExactly(lines("default", 3, 0));
            });
  }

  @Test
  void pendingMigrationsAreUnappliedAndRefreshedWhenMigrationsRunAgain() {
    flyway()
        .withPropertyValues("spring.flyway.target=1")
        .run(
            ctx -> {
              assertThat(scrape(ctx).samplesStartingWith("java_migrations_"))
                  .containsExactly(lines("default", 1, 2));
              // Later, the application migrates again with Boot's Flyway configuration.
              Flyway boots = ctx.getBean(Flyway.class);
              Flyway.configure()
                  .configuration(boots.getConfiguration())
                  .target("latest")
                  .load()
                  .migrate();
              await(ctx, lines("default", 3, 0));
            });
  }

  @Test
  void theConnectionIsTheDataSourceAlias() {
    flyway()
        .withPropertyValues("prometheus.jdbc-aliases=dataSource=main")
        .run(ctx -> assertThat(scrape(ctx).samplesStartingWith("java_migrations_")).containsExactly(lines("main", 3, 0)));
  }

  @Test
  void theDjangoProfileExposesDjangoPrometheusesNames() {
    flyway()
        .withPropertyValues("prometheus.profile=django")
        .run(
            ctx ->
                assertThat(scrape(ctx).samplesStartingWith("django_migrations_"))
                    .containsExactly(
                        "django_migrations_applied_total{connection=\"default\"} 3.0",
                        "django_migrations_unapplied_total{connection=\"default\"} 0.0"));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStrategy {
    @Bean
    FlywayMigrationStrategy applicationsStrategy() {
      return flyway -> flyway.migrate();
    }
  }

  @Test
  void withTheApplicationsOwnStrategyTheCallbackReadsTheCounts() {
    flyway()
        .withUserConfiguration(OwnStrategy.class)
        .run(
            ctx -> {
              assertThat(ctx.getBean(FlywayMigrationStrategy.class))
                  .isSameAs(ctx.getBean("applicationsStrategy"));
              await(ctx, lines("default", 3, 0));
            });
  }

  @Test
  void liquibaseIsReadAfterItsStartUpUpdate() {
    runner()
        .withConfiguration(AutoConfigurations.of(LiquibaseAutoConfiguration.class))
        .withPropertyValues(
            "spring.liquibase.change-log=classpath:db/liquibase/changelog.xml",
            "spring.liquibase.contexts=prod")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              // Change set 4 belongs to context demo-data only.
              assertThat(scrape(ctx).samplesStartingWith("java_migrations_"))
                  .containsExactly(lines("default", 3, 0));
            });
  }

  @Test
  void offWithExportMigrationsFalse() {
    flyway()
        .withPropertyValues("prometheus.export-migrations=false")
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasNotFailed()
                  .doesNotHaveBean(MigrationMetrics.class)
                  .doesNotHaveBean(Callback.class);
              assertThat(ctx.getBean(Flyway.class).info().applied()).hasSize(3);
              assertThat(scrape(ctx).samplesStartingWith("java_migrations_")).isEmpty();
            });
  }

  @Test
  void offWhenPrometheusIsDisabled() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusAutoConfiguration.class,
                MigrationMetricsAutoConfiguration.class,
                DataSourceAutoConfiguration.class,
                FlywayAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"),
            "spring.flyway.locations=classpath:db/flyway/three",
            "prometheus.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(MigrationMetrics.class));
  }

  @Test
  void offWithoutTheMigrationsModule() {
    flyway()
        .withClassLoader(new FilteredClassLoader(MigrationMetrics.class))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(MigrationMetrics.class)
                    .doesNotHaveBean(Callback.class));
  }

  @Test
  void withoutFlywayOnlyTheGaugesAreThere() {
    runner()
        .withClassLoader(new FilteredClassLoader(Flyway.class))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .hasSingleBean(MigrationMetrics.class)
                    .doesNotHaveBean(FlywayMigrationStrategy.class));
  }
}
