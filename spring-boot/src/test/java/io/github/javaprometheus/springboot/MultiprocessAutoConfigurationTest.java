package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.multiprocess.MultiprocessStore;
import io.github.javaprometheus.servlet.MetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class MultiprocessAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MultiprocessAutoConfiguration.class, JavaPrometheusAutoConfiguration.class));

  private MultiprocessStore registered;

  @AfterEach
  void leaveTheDefaultRegistryAsItWas() {
    if (registered != null) {
      PrometheusRegistry.defaultRegistry.unregister(
          registered.collectInto(PrometheusRegistry.defaultRegistry));
    }
  }

  @Test
  void withADirectoryTheFamiliesAreFileBackedAndTheDefaultRegistryServesTheMergedView(
      @TempDir Path dir) {
    runner
        .withPropertyValues("prometheus.multiproc-dir=" + dir)
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasNotFailed()
                  .hasSingleBean(MultiprocessStore.class)
                  .hasSingleBean(MetricFamilies.class);
              registered = ctx.getBean(MultiprocessStore.class);
              MetricFamilies families = ctx.getBean(MetricFamilies.class);
              assertThat(families.store()).isSameAs(registered);
              assertThat(families.registry()).isSameAs(PrometheusRegistry.defaultRegistry);
              families.counter("spring_mp_jobs", "Jobs").noLabels().inc(2);
              peer(dir).counter("spring_mp_jobs", "Jobs").noLabels().inc(40);
              assertThat(dir.resolve("counter_" + ProcessHandle.current().pid() + ".db")).exists();
              assertThat(
                      TextScrape.of(PrometheusRegistry.defaultRegistry)
                          .value("java_spring_mp_jobs_total"))
                  .isEqualTo(42.0);
            });
  }

  @Test
  void theMetricsServletServesTheMergedView(@TempDir Path dir) {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MultiprocessAutoConfiguration.class, JavaPrometheusAutoConfiguration.class))
        .withPropertyValues("prometheus.multiproc-dir=" + dir)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              registered = ctx.getBean(MultiprocessStore.class);
              ctx.getBean(MetricFamilies.class)
                  .counter("spring_mp_served", "Served")
                  .noLabels()
                  .inc();
              peer(dir).counter("spring_mp_served", "Served").noLabels().inc(6);
              @SuppressWarnings("unchecked")
              ServletRegistrationBean<MetricsServlet> servlet =
                  ctx.getBean("javaPrometheusMetricsServlet", ServletRegistrationBean.class);
              MockHttpServletRequest request = new MockHttpServletRequest("GET", "/metrics");
              MockHttpServletResponse response = new MockHttpServletResponse();
              servlet.getServlet().service(request, response);
              assertThat(response.getStatus()).isEqualTo(200);
              assertThat(
                      TextScrape.parse(response.getContentAsString())
                          .value("java_spring_mp_served_total"))
                  .isEqualTo(7.0);
            });
  }

  @Test
  void withoutADirectoryNothingChanges() {
    runner.run(
        ctx -> {
          assertThat(ctx).hasNotFailed().doesNotHaveBean(MultiprocessStore.class);
          assertThat(ctx.getBean(MetricFamilies.class).store())
              .isNotInstanceOf(MultiprocessStore.class);
        });
  }

  @Test
  void turnedOffWithEverythingElse(@TempDir Path dir) {
    runner
        .withPropertyValues("prometheus.multiproc-dir=" + dir, "prometheus.enabled=false")
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(MultiprocessStore.class)
                    .doesNotHaveBean(MetricFamilies.class));
  }

  @Test
  void anApplicationsOwnFamiliesWin(@TempDir Path dir) {
    runner
        .withPropertyValues("prometheus.multiproc-dir=" + dir)
        .withUserConfiguration(OwnFamilies.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(MetricFamilies.class);
              assertThat(ctx.getBean(MetricFamilies.class)).isSameAs(OwnFamilies.FAMILIES);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFamilies {
    static final MetricFamilies FAMILIES =
        MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry());

    @Bean
    MetricFamilies ownFamilies() {
      return FAMILIES;
    }
  }

  @Test
  void aMissingDirectoryFailsStartUpNamingTheSetting(@TempDir Path dir) {
    Path missing = dir.resolve("missing");
    runner
        .withPropertyValues("prometheus.multiproc-dir=" + missing)
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              assertThat(ctx.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(InvalidSettingException.class)
                  .hasMessageStartingWith(
                      "Invalid setting prometheus.multiproc-dir='" + missing + "'");
            });
  }

  /** Another process writing the same directory. */
  private static MetricFamilies peer(Path dir) {
    return MetricFamilies.create(
        PrometheusSettings.defaults(),
        new PrometheusRegistry(),
        MultiprocessStore.builder(dir).processId("peer").open());
  }
}
