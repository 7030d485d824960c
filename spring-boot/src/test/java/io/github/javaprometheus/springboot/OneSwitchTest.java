package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.servlet.HttpMetrics;
import io.github.javaprometheus.testing.SettingSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.sqlite.SQLiteDataSource;

/**
 * {@code prometheus.enabled=false} is one switch, whichever source of the settings model holds it
 * ({@code prometheus.properties}, a Spring property, a system property, an environment variable):
 * every auto-configuration stays out, nothing is wrapped, and what the context cannot reach with
 * beans (the {@code jdbc:prometheus:} driver) sees the same switch while the context runs.
 */
class OneSwitchTest {

  private static WebApplicationContextRunner everything() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusDisabledAutoConfiguration.class,
                JavaPrometheusAutoConfiguration.class,
                CacheMetricsAutoConfiguration.class,
                JdbcMetricsAutoConfiguration.class,
                MultiprocessAutoConfiguration.class,
                ModelMetricsAutoConfiguration.class,
                MigrationMetricsAutoConfiguration.class))
        // The application's own registry: the control run must not leave families in the JVM's
        // default registry, which other tests of this JVM serve.
        .withBean(PrometheusRegistry.class, PrometheusRegistry::new)
        .withBean("cacheManager", CacheManager.class, () -> new ConcurrentMapCacheManager("a"))
        .withBean("dataSource", DataSource.class, SQLiteDataSource::new);
  }

  /** The runner with {@code prometheus.enabled=false} in exactly one source. */
  private static WebApplicationContextRunner disabledBy(SettingSource source, Path dir) {
    WebApplicationContextRunner runner = everything();
    switch (source) {
      case PROPERTIES_FILE:
        return runner.withClassLoader(
            source.classLoader(
                dir, "prometheus.enabled", "false", OneSwitchTest.class.getClassLoader()));
      case FRAMEWORK:
        return runner.withPropertyValues("prometheus.enabled=false");
      case SYSTEM_PROPERTY:
        Properties system = new Properties();
        system.putAll(System.getProperties());
        system.setProperty("prometheus.enabled", "false");
        return runner.withInitializer(
            ctx ->
                ctx.getEnvironment()
                    .getPropertySources()
                    .replace(
                        StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                        new PropertiesPropertySource(
                            StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, system)));
      case ENVIRONMENT:
        return runner.withInitializer(
            ctx ->
                ctx.getEnvironment()
                    .getPropertySources()
                    .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of("PROMETHEUS_ENABLED", "false"))));
      default:
        throw new IllegalArgumentException(source.name());
    }
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void disabledInAnySourceLeavesTheApplicationAsWithoutTheLibrary(
      SettingSource source, @TempDir Path dir) {
    disabledBy(source, dir)
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasNotFailed()
                  .doesNotHaveBean(PrometheusSettings.class)
                  .doesNotHaveBean(MetricFamilies.class)
                  .doesNotHaveBean(HttpMetrics.class)
                  .doesNotHaveBean(JavaPrometheusExporter.class)
                  .doesNotHaveBean("javaPrometheusBeforeFilter")
                  .doesNotHaveBean("javaPrometheusAfterFilter")
                  .doesNotHaveBean("javaPrometheusMetricsServlet");
              assertThat(ctx.getBeansOfType(FilterRegistrationBean.class)).isEmpty();
              assertThat(ctx.getBeansOfType(ServletRegistrationBean.class)).isEmpty();
              assertThat(ctx.getBean(CacheManager.class).getClass())
                  .isEqualTo(ConcurrentMapCacheManager.class);
              assertThat(ctx.getBean(DataSource.class).getClass())
                  .isEqualTo(SQLiteDataSource.class);
              // The JVM default the driver and the JPA listeners use is off while the context runs.
              assertThat(MetricFamilies.defaults().enabled()).isFalse();
              try (Connection c = DriverManager.getConnection("jdbc:prometheus:sqlite::memory:")) {
                assertThat(c.getClass().getName()).startsWith("org.sqlite.");
              }
            });
    // Closing the context gives the default back (this JVM's own sources leave it on).
    assertThat(MetricFamilies.defaults().enabled()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void withoutTheSwitchTheSameContextHasTheLibrary() {
    everything()
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(MetricFamilies.class);
              assertThat(ctx).hasBean("javaPrometheusBeforeFilter");
              assertThat(ctx.getBean(CacheManager.class).getClass())
                  .isNotEqualTo(ConcurrentMapCacheManager.class);
              assertThat(MetricFamilies.defaults()).isSameAs(ctx.getBean(MetricFamilies.class));
              assertThat(ctx.getBean(MetricFamilies.class).registry())
                  .isSameAs(ctx.getBean(PrometheusRegistry.class));
            });
  }
}
