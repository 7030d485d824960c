package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.jdbc.InstrumentedDataSource;
import io.github.javaprometheus.jdbc.JdbcMetrics;
import io.github.javaprometheus.jdbc.PrometheusDriver;
import io.github.javaprometheus.jdbc.PrometheusMetricsTrackerFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.sqlite.SQLiteDataSource;

/** Every DataSource bean measured once, named, and below HikariCP's pool; each condition turned off. */
class JdbcMetricsAutoConfigurationTest {
  @TempDir Path dir;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JavaPrometheusAutoConfiguration.class, JdbcMetricsAutoConfiguration.class))
          .withUserConfiguration(OwnRegistry.class);

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistry {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Bean
    MetricFamilies metricFamilies(PrometheusSettings settings) {
      return MetricFamilies.create(settings, registry);
    }
  }

  @AfterEach
  void driverBackToItsDefault() {
    PrometheusDriver.useMetrics(null);
  }

  private String sqliteUrl() {
    return "jdbc:sqlite:" + dir.resolve("app.db");
  }

  private SQLiteDataSource sqlite(String file) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve(file));
    return ds;
  }

  private static void query(DataSource ds, int times) throws SQLException {
    for (int i = 0; i < times; i++) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      }
    }
  }

  private static TextScrape scrape(ApplicationContext ctx) {
    return TextScrape.of(ctx.getBean(OwnRegistry.class).registry);
  }

  private static double db(ApplicationContext ctx, String family, String alias, String vendor) {
    return scrape(ctx)
        .valueOrZero("java_db_" + family + "{alias=\"" + alias + "\",vendor=\"" + vendor + "\"}");
  }

  @Test
  void springBootsHikariPoolIsMeasuredBelowThePoolAndStaysTheBean() {
    runner
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=" + sqliteUrl(), "spring.datasource.hikari.maximum-pool-size=2")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(JdbcMetrics.class);
              HikariDataSource hikari = (HikariDataSource) ctx.getBean(DataSource.class);
              assertThat(hikari.getDataSource()).isInstanceOf(InstrumentedDataSource.class);
              assertThat(((InstrumentedDataSource) hikari.getDataSource()).alias()).isEqualTo("default");
              assertThat(hikari.getMetricsTrackerFactory())
                  .isInstanceOf(PrometheusMetricsTrackerFactory.class);

              query(hikari, 30);
              awaitPoolFilled(hikari);

              int physical = hikari.getHikariPoolMXBean().getTotalConnections();
              assertThat(db(ctx, "new_connections_total", "default", "sqlite")).isEqualTo(physical);
              assertThat(db(ctx, "execute_total", "default", "sqlite")).isEqualTo(30);
              assertThat(db(ctx, "pool_max_connections", "default", "sqlite")).isEqualTo(2);
              assertThat(db(ctx, "pool_connection_acquire_seconds_count", "default", "sqlite"))
                  .isEqualTo(30);
            });
  }

  private static void awaitPoolFilled(HikariDataSource hikari) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (hikari.getHikariPoolMXBean().getTotalConnections() < hikari.getMinimumIdle()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void actuatorsOwnHikariMetricsKeepWorkingBesideOurs() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class,
                MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                DataSourcePoolMetricsAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=" + sqliteUrl(), "spring.datasource.hikari.maximum-pool-size=2")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              HikariDataSource hikari = (HikariDataSource) ctx.getBean(DataSource.class);
              query(hikari, 3);
              MeterRegistry micrometer = ctx.getBean(MeterRegistry.class);
              assertThat(micrometer.find("hikaricp.connections.max").gauge()).isNotNull();
              assertThat(micrometer.find("hikaricp.connections.max").gauge().value()).isEqualTo(2);
              assertThat(micrometer.find("hikaricp.connections.acquire").timer().count()).isEqualTo(3);
              assertThat(db(ctx, "pool_max_connections", "default", "sqlite")).isEqualTo(2);
              assertThat(db(ctx, "pool_connection_acquire_seconds_count", "default", "sqlite"))
                  .isEqualTo(3);
            });
  }

  @Test
  void aPoolConfiguredByDataSourceClassNameIsMeasuredBelowThePoolToo() {
    runner
        .withBean(
            "pool",
            DataSource.class,
            () -> {
              HikariDataSource hikari = new HikariDataSource();
              hikari.setDataSourceClassName(SQLiteDataSource.class.getName());
              hikari.addDataSourceProperty("url", sqliteUrl());
              hikari.setMaximumPoolSize(1);
              return hikari; // not started: its pool starts at the first checkout
            })
        .run(
            ctx -> {
              HikariDataSource hikari = (HikariDataSource) ctx.getBean(DataSource.class);
              assertThat(hikari.getDataSourceClassName()).isNull();
              InstrumentedDataSource below = (InstrumentedDataSource) hikari.getDataSource();
              assertThat(below.target()).isInstanceOf(SQLiteDataSource.class);
              assertThat(below.alias()).isEqualTo("default");
              query(hikari, 3);
              assertThat(db(ctx, "new_connections_total", "default", "sqlite")).isEqualTo(1);
              assertThat(db(ctx, "execute_total", "default", "sqlite")).isEqualTo(3);
              assertThat(db(ctx, "pool_max_connections", "default", "sqlite")).isEqualTo(1);
              hikari.close();
            });
  }

  @Test
  void aJdbcPrometheusUrlIsNamedNotWrappedAgain() {
    runner
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(
            "spring.datasource.url=jdbc:prometheus:sqlite:" + dir.resolve("app.db"),
            // Spring Boot cannot guess a driver class from a jdbc:prometheus: URL.
            "spring.datasource.driver-class-name=" + PrometheusDriver.class.getName(),
            "spring.datasource.hikari.maximum-pool-size=1",
            "prometheus.jdbc-aliases=dataSource=main")
        .run(
            ctx -> {
              HikariDataSource hikari = (HikariDataSource) ctx.getBean(DataSource.class);
              assertThat(hikari.getDataSource()).isNull();
              assertThat(hikari.getDataSourceProperties())
                  .containsEntry(PrometheusDriver.ALIAS_PROPERTY, "main");
              query(hikari, 5);
              assertThat(db(ctx, "execute_total", "main", "sqlite")).isEqualTo(5);
              assertThat(db(ctx, "new_connections_total", "main", "sqlite")).isEqualTo(1);
              assertThat(db(ctx, "pool_max_connections", "main", "sqlite")).isEqualTo(1);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoDatabases {
    @Bean
    @Primary
    DataSource mainDataSource(@org.springframework.beans.factory.annotation.Value("${test.dir}") String dir) {
      SQLiteDataSource ds = new SQLiteDataSource();
      ds.setUrl("jdbc:sqlite:" + dir + "/main.db");
      return ds;
    }

    @Bean
    DataSource ordersDataSource(@org.springframework.beans.factory.annotation.Value("${test.dir}") String dir) {
      SQLiteDataSource ds = new SQLiteDataSource();
      ds.setUrl("jdbc:sqlite:" + dir + "/orders.db");
      return ds;
    }
  }

  @Test
  void thePrimaryDataSourceIsDefaultAndOthersAreNamedByBean() {
    runner
        .withUserConfiguration(TwoDatabases.class)
        .withPropertyValues("test.dir=" + dir)
        .run(
            ctx -> {
              DataSource main = ctx.getBean("mainDataSource", DataSource.class);
              DataSource orders = ctx.getBean("ordersDataSource", DataSource.class);
              assertThat(main).isInstanceOf(InstrumentedDataSource.class);
              assertThat(((InstrumentedDataSource) orders).alias()).isEqualTo("ordersDataSource");
              assertThat(main.unwrap(SQLiteDataSource.class)).isInstanceOf(SQLiteDataSource.class);
              query(main, 2);
              query(orders, 3);
              assertThat(db(ctx, "execute_total", "default", "sqlite")).isEqualTo(2);
              assertThat(db(ctx, "execute_total", "ordersDataSource", "sqlite")).isEqualTo(3);
              assertThat(db(ctx, "new_connections_total", "ordersDataSource", "sqlite")).isEqualTo(3);
            });
  }

  @Test
  void theOnlyDataSourceIsDefaultWhateverItsNameAndAliasesCanBeSet() {
    runner
        .withBean("reporting", DataSource.class, () -> sqlite("reporting.db"))
        .run(ctx -> assertThat(((InstrumentedDataSource) ctx.getBean(DataSource.class)).alias()).isEqualTo("default"));
    runner
        .withUserConfiguration(TwoDatabases.class)
        .withPropertyValues("test.dir=" + dir, "prometheus.jdbc-aliases=ordersDataSource=shop,mainDataSource=main")
        .run(
            ctx -> {
              assertThat(((InstrumentedDataSource) ctx.getBean("ordersDataSource")).alias()).isEqualTo("shop");
              assertThat(((InstrumentedDataSource) ctx.getBean("mainDataSource")).alias()).isEqualTo("main");
            });
  }

  @Test
  void aDataSourceIsNeverMeasuredTwice() {
    runner
        .withBean(
            "measured",
            DataSource.class,
            () -> InstrumentedDataSource.builder(sqlite("own.db"), ownMetrics()).alias("own").build())
        .run(
            ctx -> {
              InstrumentedDataSource ds = (InstrumentedDataSource) ctx.getBean(DataSource.class);
              assertThat(ds.alias()).isEqualTo("own");
              assertThat(ds.target()).isInstanceOf(SQLiteDataSource.class);
              DataSourceMetricsPostProcessor again =
                  ctx.getBean(DataSourceMetricsPostProcessor.class);
              assertThat(again.postProcessAfterInitialization(ds, "measured")).isSameAs(ds);
            });
  }

  private static JdbcMetrics ownMetrics() {
    return JdbcMetrics.create(
        MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry()));
  }

  @Test
  void aRunningPoolIsMeasuredFromAboveWithoutCountingCheckoutsAndGetsTheGauges() {
    runner
        .withBean(
            "pool",
            DataSource.class,
            () -> {
              HikariConfig config = new HikariConfig();
              config.setJdbcUrl(sqliteUrl());
              config.setMaximumPoolSize(1);
              return new HikariDataSource(config); // starts the pool at once
            })
        .run(
            ctx -> {
              DataSource ds = ctx.getBean(DataSource.class);
              assertThat(ds).isInstanceOf(InstrumentedDataSource.class);
              assertThat(((InstrumentedDataSource) ds).isPool()).isTrue();
              HikariDataSource hikari = ds.unwrap(HikariDataSource.class);
              assertThat(hikari.getMetricsTrackerFactory())
                  .isInstanceOf(PrometheusMetricsTrackerFactory.class);
              query(ds, 4);
              assertThat(db(ctx, "execute_total", "default", "sqlite")).isEqualTo(4);
              assertThat(db(ctx, "new_connections_total", "default", "sqlite")).isZero();
              assertThat(db(ctx, "pool_max_connections", "default", "sqlite")).isEqualTo(1);
              hikari.close();
            });
  }

  @Test
  void aTrackerTheApplicationSetKeepsWorkingAlongsideOurs() {
    MetricsTrackerFactory theirs = (poolName, stats) -> new IMetricsTracker() {};
    runner
        .withBean(
            "pool",
            DataSource.class,
            () -> {
              HikariDataSource hikari = new HikariDataSource();
              hikari.setJdbcUrl(sqliteUrl());
              hikari.setMetricsTrackerFactory(theirs);
              return hikari;
            })
        .run(
            ctx -> {
              HikariDataSource hikari = (HikariDataSource) ctx.getBean(DataSource.class);
              PrometheusMetricsTrackerFactory ours =
                  (PrometheusMetricsTrackerFactory) hikari.getMetricsTrackerFactory();
              assertThat(ours.alongside()).isSameAs(theirs);
            });
  }

  @Test
  void theDriverUsesTheContextsFamilies() {
    runner.run(
        ctx -> {
          try (Connection c = DriverManager.getConnection("jdbc:prometheus:sqlite::memory:");
              Statement s = c.createStatement()) {
            s.execute("SELECT 1");
          }
          assertThat(db(ctx, "execute_total", "default", "sqlite")).isEqualTo(1);
        });
  }

  @Test
  void theApplicationsOwnJdbcMetricsAreUsed() {
    JdbcMetrics own = ownMetrics();
    runner
        .withBean(JdbcMetrics.class, () -> own)
        .withBean("ds", DataSource.class, () -> sqlite("a.db"))
        .run(
            ctx -> {
              assertThat(ctx.getBean(JdbcMetrics.class)).isSameAs(own);
              query(ctx.getBean(DataSource.class), 1);
              assertThat(
                      TextScrape.of(own.families().registry())
                          .value("java_db_execute_total{alias=\"default\",vendor=\"sqlite\"}"))
                  .isEqualTo(1);
            });
  }

  @Test
  void offWithPrometheusJdbcMetricsFalse() {
    runner
        .withPropertyValues("prometheus.jdbc-metrics=false")
        .withBean("ds", DataSource.class, () -> sqlite("a.db"))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(JdbcMetrics.class)
                    .getBean(DataSource.class)
                    .isInstanceOf(SQLiteDataSource.class));
  }

  @Test
  void offWhenPrometheusIsDisabled() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusAutoConfiguration.class, JdbcMetricsAutoConfiguration.class))
        .withPropertyValues("prometheus.enabled=false")
        .withBean("ds", DataSource.class, () -> sqlite("a.db"))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(JdbcMetrics.class)
                    .getBean(DataSource.class)
                    .isInstanceOf(SQLiteDataSource.class));
  }

  @Test
  void offWithoutTheJdbcModule() {
    runner
        .withClassLoader(new FilteredClassLoader(InstrumentedDataSource.class))
        .withBean("ds", DataSource.class, () -> sqlite("a.db"))
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(JdbcMetrics.class)
                    .doesNotHaveBean(DataSourceMetricsPostProcessor.class)
                    .getBean(DataSource.class)
                    .isInstanceOf(SQLiteDataSource.class));
  }
}
