package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.servlet.HttpMetrics;
import io.github.javaprometheus.servlet.MetricsServlet;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.PrometheusBeforeFilter;
import io.github.javaprometheus.servlet.ViewResolver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;

@SuppressWarnings({"unchecked", "rawtypes"})
class JavaPrometheusAutoConfigurationTest {

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(JavaPrometheusAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistry {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Bean
    MetricFamilies metricFamilies(PrometheusSettings settings) {
      return MetricFamilies.create(settings, registry);
    }
  }

  @Test

  void registersBothFiltersAtTheEdgesForRequestAndAsyncAndServesMetrics() {
    web.run(
        ctx -> {
          assertThat(ctx).hasNotFailed();
          FilterRegistrationBean<PrometheusBeforeFilter> before =
              ctx.getBean("javaPrometheusBeforeFilter", FilterRegistrationBean.class);
          FilterRegistrationBean<PrometheusAfterFilter> after =
              ctx.getBean("javaPrometheusAfterFilter", FilterRegistrationBean.class);
          assertThat(before.getFilter()).isInstanceOf(PrometheusBeforeFilter.class);
          assertThat(before.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
          assertThat(after.getFilter()).isInstanceOf(PrometheusAfterFilter.class);
          assertThat(after.getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE);
          assertThat(before.determineDispatcherTypes())
              .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
          ServletRegistrationBean<MetricsServlet> servlet =
              ctx.getBean("javaPrometheusMetricsServlet", ServletRegistrationBean.class);
          assertThat(servlet.getUrlMappings()).containsExactly("/metrics");
          assertThat(servlet.isEnabled()).isTrue();
          assertThat(ctx).hasSingleBean(HttpMetrics.class).hasSingleBean(ViewResolver.class);
          assertThat(ctx.getBean(MetricFamilies.class).registry())
              .isSameAs(PrometheusRegistry.defaultRegistry);
          assertThat(ctx.getBean(JavaPrometheusExporter.class).port()).isEqualTo(-1);
        });
  }

  @Test
  void readsPrometheusKeysFromTheEnvironment() {
    web.withPropertyValues(
            "prometheus.profile=django",
            "prometheus.max-label-values=42",
            "prometheus.exclude-paths=/health,/actuator/**",
            "prometheus.metrics-path=/internal/metrics")
        .withUserConfiguration(OwnRegistry.class)
        .run(
            ctx -> {
              PrometheusSettings s = ctx.getBean(PrometheusSettings.class);
              assertThat(s.metricPrefix()).isEqualTo("django");
              assertThat(s.maxLabelValues()).isEqualTo(42);
              assertThat(s.get(io.github.javaprometheus.servlet.HttpSettings.EXCLUDE_PATHS)).containsExactly("/health", "/actuator/**");
              assertThat(
                      ctx.getBean("javaPrometheusMetricsServlet", ServletRegistrationBean.class)
                          .getUrlMappings())
                  .containsExactly("/internal/metrics");
            });
  }

  @Test
  void anEmptyMetricsPathKeepsMetricsOffTheApplicationPort() {
    web.withPropertyValues("prometheus.metrics-path=")
        .withUserConfiguration(OwnRegistry.class)
        .run(
            ctx ->
                assertThat(
                        ctx.getBean("javaPrometheusMetricsServlet", ServletRegistrationBean.class)
                            .isEnabled())
                    .isFalse());
  }

  @Test
  void malformedSettingsFailStartUpNamingTheKey() {
    web.withPropertyValues("prometheus.latency-buckets=abc")
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              assertThat(ctx.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidSettingException.class)
                  .hasMessageContaining("prometheus.latency-buckets")
                  .hasMessageContaining("'abc'");
            });
    web.withPropertyValues("prometheus.export.port=70000")
        .run(
            ctx ->
                assertThat(ctx.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("prometheus.export.port")
                    .hasMessageContaining("'70000'"));
    web.withPropertyValues("prometheus.foo=1")
        .run(
            ctx ->
                assertThat(ctx.getStartupFailure())
                    .rootCause()
                    .hasMessageStartingWith("Invalid setting prometheus.foo='1': unknown key"));
  }

  @Test
  void theFailureAnalyzerReportsTheSettingInOneLine() {
    InvalidSettingException e =
        (InvalidSettingException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    PrometheusSettings.builder()
                        .set("prometheus.max-label-values", "lots")
                        .build());
    org.springframework.boot.diagnostics.FailureAnalysis analysis =
        new InvalidSettingFailureAnalyzer().analyze(new RuntimeException(e), e);
    assertThat(analysis.getDescription())
        .isEqualTo(
            "Invalid setting prometheus.max-label-values='lots': expected a whole number >= 1");
    assertThat(analysis.getAction()).contains("prometheus.max-label-values");
  }

  @Test
  void prometheusEnabledFalseTurnsEverythingOff() {
    web.withPropertyValues("prometheus.enabled=false")
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(PrometheusSettings.class)
                    .doesNotHaveBean(MetricFamilies.class)
                    .doesNotHaveBean("javaPrometheusBeforeFilter"));
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnBeans() {
    web.withUserConfiguration(OwnRegistry.class)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(MetricFamilies.class);
              OwnRegistry own = ctx.getBean(OwnRegistry.class);
              assertThat(ctx.getBean(MetricFamilies.class).registry()).isSameAs(own.registry);
            });
    web.withBean(
            "javaPrometheusBeforeFilter",
            FilterRegistrationBean.class,
            () -> new FilterRegistrationBean<>())
        .withUserConfiguration(OwnRegistry.class)
        .run(
            ctx ->
                assertThat(
                        ctx.getBean("javaPrometheusBeforeFilter", FilterRegistrationBean.class)
                            .getFilter())
                    .isNull());
  }

  @Test
  void aNonWebApplicationGetsFamiliesButNoFilters() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JavaPrometheusAutoConfiguration.class))
        .withUserConfiguration(OwnRegistry.class)
        .run(
            ctx ->
                assertThat(ctx)
                    .hasSingleBean(MetricFamilies.class)
                    .hasSingleBean(JavaPrometheusExporter.class)
                    .doesNotHaveBean(HttpMetrics.class)
                    .doesNotHaveBean("javaPrometheusBeforeFilter"));
  }

  @Test
  void withoutTheServletModuleThereAreNoFilters() {
    web.withClassLoader(new FilteredClassLoader(PrometheusBeforeFilter.class))
        .withUserConfiguration(OwnRegistry.class)
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .hasSingleBean(MetricFamilies.class)
                    .doesNotHaveBean("javaPrometheusBeforeFilter")
                    .doesNotHaveBean(ViewResolver.class));
  }

  @Test
  void withoutSpringMvcViewsComeFromServletClasses() {
    web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
        .withUserConfiguration(OwnRegistry.class)
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .hasBean("javaPrometheusBeforeFilter")
                    .doesNotHaveBean(ViewResolver.class));
  }

  @Test
  void withoutActuatorOrMicrometerEverythingStillWorks() {
    web.withClassLoader(
            new FilteredClassLoader("org.springframework.boot.actuate", "io.micrometer"))
        .withUserConfiguration(OwnRegistry.class)
        .run(ctx -> assertThat(ctx).hasNotFailed().hasBean("javaPrometheusAfterFilter"));
  }

  @Test
  void theExporterStartsWhenAPortIsSetAndBindsOncePerJvm() {
    try {
      web.withPropertyValues("prometheus.export.port=0", "prometheus.export.address=127.0.0.1")
          .withUserConfiguration(OwnRegistry.class)
          .run(
              first -> {
                int port = first.getBean(JavaPrometheusExporter.class).port();
                assertThat(port).isPositive();
                // A DevTools restart runs the auto-configuration again in the same JVM.
                web.withPropertyValues(
                        "prometheus.export.port=0", "prometheus.export.address=127.0.0.1")
                    .withUserConfiguration(OwnRegistry.class)
                    .run(
                        second ->
                            assertThat(second.getBean(JavaPrometheusExporter.class).port())
                                .isEqualTo(port));
              });
    } finally {
      io.github.javaprometheus.exporter.MetricsExporter.stopRunning();
    }
  }
}
