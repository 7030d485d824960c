package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.servlet.HttpMetrics;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.PrometheusBeforeFilter;
import io.github.javaprometheus.testing.TextScrape;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What applications define themselves: their own filter beans under names of their choosing, their
 * own registry, Actuator's Micrometer registry. The library backs off by type, uses the
 * application's registry, and never Micrometer's.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
class UserBeansIT {
  private ConfigurableApplicationContext context;

  @AfterEach
  void close() {
    if (context != null) {
      context.close();
    }
  }

  /** An application that registers both filters itself, under its own names, on its registry. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class OwnFilters {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Bean
    PrometheusRegistry applicationRegistry() {
      return registry;
    }

    // A plain filter bean: Spring Boot registers it itself, at the lowest precedence.
    @Bean
    PrometheusAfterFilter myMetricsAfter(
        HttpMetrics metrics, java.util.List<io.github.javaprometheus.servlet.ViewResolver> views) {
      return new PrometheusAfterFilter(metrics, views);
    }

    @Bean
    FilterRegistrationBean<PrometheusBeforeFilter> myMetricsBefore(HttpMetrics metrics) {
      FilterRegistrationBean<PrometheusBeforeFilter> r =
          new FilterRegistrationBean<>(new PrometheusBeforeFilter(metrics));
      r.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return r;
    }

    @Bean
    org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory tomcat() {
      return new org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory();
    }

    @Bean
    Hello hello() {
      return new Hello();
    }
  }

  @RestController
  static class Hello {
    @GetMapping("/hello/")
    String hello() {
      return "hello";
    }
  }

  @Test
  void filtersTheApplicationRegistersUnderOtherNamesAreNotDoubled() throws Exception {
    context =
        new SpringApplicationBuilder(OwnFilters.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                // Liquibase is on the test class path for other tests; this app has no change log.
                "spring.liquibase.enabled=false",
                // Actuator (on this test class path) would adopt the application's only
                // PrometheusRegistry bean for Micrometer, and a Micrometer-owned registry is left
                // alone (see the tests below); this application does not export through Micrometer.
                "management.prometheus.metrics.export.enabled=false")
            .run();
    // Registrations of our filters: only the application's (Actuator adds its own of other types).
    assertThat(context.getBeansOfType(FilterRegistrationBean.class).entrySet().stream()
            .filter(
                e ->
                    e.getValue().getFilter() instanceof PrometheusBeforeFilter
                        || e.getValue().getFilter() instanceof PrometheusAfterFilter)
            .map(java.util.Map.Entry::getKey))
        .containsExactly("myMetricsBefore");
    assertThat(context.getBeansOfType(PrometheusAfterFilter.class)).containsOnlyKeys("myMetricsAfter");
    assertThat(context.containsBean("javaPrometheusBeforeFilter")).isFalse();
    assertThat(context.containsBean("javaPrometheusAfterFilter")).isFalse();
    OwnFilters app = context.getBean(OwnFilters.class);
    assertThat(context.getBean(MetricFamilies.class).registry())
        .as("registries %s", context.getBeansOfType(PrometheusRegistry.class))
        .isSameAs(app.registry);

    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("hello");

    // The outer filter records last, after the client has its response: wait for it.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape s = TextScrape.of(app.registry);
    while (s.valueOrZero("java_http_responses_before_middlewares_total") < 1
        && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
      s = TextScrape.of(app.registry);
    }
    s = TextScrape.of(app.registry);
    // Once each, not twice: one before filter and one after filter saw the request.
    assertThat(s.value("java_http_requests_before_middlewares_total")).isEqualTo(1.0);
    assertThat(s.value("java_http_responses_before_middlewares_total")).isEqualTo(1.0);
    assertThat(s.value("java_http_requests_total_by_method_total{method=\"GET\"}")).isEqualTo(1.0);
    assertThat(
            s.value(
                "java_http_responses_total_by_status_view_method_total{status=\"200\",view=\""
                    + Hello.class.getName()
                    + ".hello\",method=\"GET\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void actuatorsMicrometerRegistryIsLeftAloneAndTheApplicationsOwnIsUsed() {
    PrometheusRegistry micrometers = new PrometheusRegistry();
    PrometheusRegistry own = new PrometheusRegistry();
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JavaPrometheusAutoConfiguration.class))
        // As Actuator defines them: a PrometheusRegistry bean and the meter registry over it.
        .withBean("prometheusRegistry", PrometheusRegistry.class, () -> micrometers)
        .withBean(
            PrometheusMeterRegistry.class,
            () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, micrometers, Clock.SYSTEM))
        .withBean("applicationRegistry", PrometheusRegistry.class, () -> own)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(MetricFamilies.class).registry()).isSameAs(own);
              assertThat(micrometers.scrape().stream().map(m -> m.getMetadata().getName()))
                  .noneMatch(n -> n.startsWith("java_"));
            });
  }

  @Test
  void withOnlyMicrometersRegistryTheDefaultRegistryIsChosen() {
    PrometheusRegistry micrometers = new PrometheusRegistry();
    // Registries.choose alone: the full auto-configuration would leave families in the JVM's
    // default registry, which other tests of this JVM serve.
    new WebApplicationContextRunner()
        .withBean("prometheusRegistry", PrometheusRegistry.class, () -> micrometers)
        .withBean(
            PrometheusMeterRegistry.class,
            () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, micrometers, Clock.SYSTEM))
        .run(
            ctx ->
                assertThat(Registries.choose(ctx.getBeanProvider(PrometheusRegistry.class), ctx))
                    .isSameAs(PrometheusRegistry.defaultRegistry));
    new WebApplicationContextRunner()
        .withBean("prometheusRegistry", PrometheusRegistry.class, () -> micrometers)
        .run(
            ctx ->
                assertThat(Registries.choose(ctx.getBeanProvider(PrometheusRegistry.class), ctx))
                    .isSameAs(micrometers));
  }
}
