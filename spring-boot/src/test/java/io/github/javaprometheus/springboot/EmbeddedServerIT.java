package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.exporter.MetricsExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.view.BeanNameViewResolver;

/** The starter's auto-configuration in a real Spring Boot app, on embedded Tomcat and Jetty. */
class EmbeddedServerIT {
  private static final String CONTROLLER = TestController.class.getName();

  private final HttpClient client = HttpClient.newHttpClient();
  private ConfigurableApplicationContext context;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Bean
    MetricFamilies metricFamilies(PrometheusSettings settings) {
      return MetricFamilies.create(settings, registry);
    }

    @Bean
    TestController testController() {
      return new TestController();
    }

    @Bean
    BeanNameViewResolver beanNameViewResolver() {
      BeanNameViewResolver r = new BeanNameViewResolver();
      r.setOrder(0);
      return r;
    }

    @Bean
    View greeting() {
      return new View() {
        @Override
        public String getContentType() {
          return "text/plain;charset=UTF-8";
        }

        @Override
        public void render(
            Map<String, ?> model,
            jakarta.servlet.http.HttpServletRequest request,
            jakarta.servlet.http.HttpServletResponse response)
            throws java.io.IOException {
          response.setContentType(getContentType());
          response.getWriter().write("greetings");
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Jetty {
    @Bean
    JettyServletWebServerFactory jettyServletWebServerFactory() {
      return new JettyServletWebServerFactory();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Tomcat {
    @Bean
    TomcatServletWebServerFactory tomcatServletWebServerFactory() {
      return new TomcatServletWebServerFactory();
    }
  }

  @RestController
  static class TestController {
    @RequestMapping("/myview/")
    String myView() {
      return "hello";
    }

    @GetMapping("/boom/")
    String boom() {
      throw new IllegalStateException("boom");
    }

    @GetMapping("/deferred/")
    DeferredResult<String> deferred() {
      DeferredResult<String> result = new DeferredResult<>();
      CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)
          .execute(() -> result.setResult("later"));
      return result;
    }

    @GetMapping("/stream/")
    StreamingResponseBody stream() {
      return out -> {
        for (int i = 0; i < 3; i++) {
          out.write("chunk".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      };
    }

    @GetMapping("/page/")
    ModelAndView page() {
      return new ModelAndView("greeting");
    }
  }

  @AfterEach
  void close() {
    if (context != null) {
      context.close();
    }
    MetricsExporter.stopRunning();
  }

  private int start(String server) {
    SpringApplicationBuilder builder =
        new SpringApplicationBuilder(App.class)
            .properties(
                Map.of(
                    "server.port", "0",
                    "server.address", "127.0.0.1",
                    "prometheus.export.port", "0",
                    "prometheus.export.address", "127.0.0.1",
                    "management.endpoints.web.exposure.include", "prometheus",
                    "spring.main.banner-mode", "off",
                    // Liquibase is on the test classpath for MigrationMetricsAutoConfigurationTest;
                    // this app has no change log.
                    "spring.liquibase.enabled", "false"));
    builder.sources(server.equals("jetty") ? Jetty.class : Tomcat.class);
    context = builder.run();
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  private HttpResponse<String> send(int port, String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private TextScrape awaitScrape(String series, double expected) throws InterruptedException {
    PrometheusRegistry registry = context.getBean(App.class).registry;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape s = TextScrape.of(registry);
    while (s.valueOrZero(series) < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
      s = TextScrape.of(registry);
    }
    // Families are collected one after another; scrape again once the awaited value is in.
    return TextScrape.of(registry);
  }

  private static double val(TextScrape s, String series) {
    Double v = s.value(series);
    assertThat(v).withFailMessage("no sample %s in:%n%s", series, s.text()).isNotNull();
    return v;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat", "jetty"})
  void everyHttpFamilyHasTheValuesTheRequestsImply(String server) throws Exception {
    int port = start(server);
    assertThat(((WebServerApplicationContext) context).getWebServer().getClass().getSimpleName())
        .containsIgnoringCase(server);
    assertThat(send(port, "GET", "/myview/").body()).isEqualTo("hello");
    assertThat(send(port, "GET", "/myview/").body()).isEqualTo("hello");
    assertThat(send(port, "GET", "/boom/").statusCode()).isEqualTo(500);
    assertThat(send(port, "GET", "/nothere/").statusCode()).isEqualTo(404);
    assertThat(send(port, "BREW", "/myview/").body()).isEqualTo("hello");
    assertThat(send(port, "POST", "/myview/").body()).isEqualTo("hello");
    assertThat(send(port, "GET", "/deferred/").body()).isEqualTo("later");
    assertThat(send(port, "GET", "/stream/").body()).isEqualTo("chunkchunkchunk");
    assertThat(send(port, "GET", "/page/").body()).isEqualTo("greetings");

    TextScrape s = awaitScrape("java_http_responses_before_middlewares_total", 9);
    s = awaitScrape("java_http_responses_body_total_bytes_count", 9);
    assertThat(val(s, "java_http_requests_before_middlewares_total")).isEqualTo(9);
    assertThat(val(s, "java_http_responses_before_middlewares_total")).isEqualTo(9);
    assertThat(val(s, "java_http_requests_latency_including_middlewares_seconds_count")).isEqualTo(9);
    assertThat(val(s, "java_http_requests_total_by_method_total{method=\"GET\"}")).isEqualTo(7);
    assertThat(val(s, "java_http_requests_total_by_method_total{method=\"<invalid method>\"}"))
        .isEqualTo(1);
    assertThat(val(s, "java_http_requests_total_by_transport_total{transport=\"http\"}"))
        .isEqualTo(9);
    String myView = CONTROLLER + ".myView";
    assertThat(
            val(
                s,
                "java_http_requests_total_by_view_transport_method_total{view=\""
                    + myView
                    + "\",transport=\"http\",method=\"GET\"}"))
        .isEqualTo(2);
    assertThat(
            val(
                s,
                "java_http_responses_total_by_status_view_method_total{status=\"200\",view=\""
                    + myView
                    + "\",method=\"<invalid method>\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                s,
                "java_http_responses_total_by_status_view_method_total{status=\"404\",view=\"<unnamed view>\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                s,
                "java_http_responses_total_by_status_view_method_total{status=\"500\",view=\""
                    + CONTROLLER
                    + ".boom\",method=\"GET\"}"))
        .isEqualTo(1);
    assertThat(val(s, "java_http_responses_total_by_status_total{status=\"200\"}")).isEqualTo(7);
    assertThat(
            val(s, "java_http_exceptions_total_by_type_total{type=\"IllegalStateException\"}"))
        .isEqualTo(1);
    assertThat(
            val(s, "java_http_exceptions_total_by_view_total{view=\"" + CONTROLLER + ".boom\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                s,
                "java_http_requests_latency_seconds_by_view_method_sum{view=\""
                    + CONTROLLER
                    + ".deferred\",method=\"GET\"}"))
        .isGreaterThanOrEqualTo(0.3);
    assertThat(val(s, "java_http_responses_streaming_total")).isEqualTo(1);
    assertThat(
            val(s, "java_http_responses_total_by_templatename_total{templatename=\"greeting\"}"))
        .isEqualTo(1);
    assertThat(
            val(
                s,
                "java_http_responses_total_by_templatename_total{templatename=\"<unknown template>\"}"))
        .isEqualTo(8);
    // hello x4, later, chunk x3, greetings. The 404 and 500 error pages are written by the
    // container on the ERROR dispatch, after our filters returned: they add no bytes.
    assertThat(val(s, "java_http_responses_body_total_bytes_sum")).isEqualTo(5 * 4 + 5 + 15 + 9);
    assertThat(s.value("java_instrumentation_errors_total{component=\"http\"}")).isNull();

    // /metrics on the app port and on the dedicated exporter port; Actuator keeps its own.
    HttpResponse<String> metrics = send(port, "GET", "/metrics");
    assertThat(metrics.body()).contains("java_http_requests_before_middlewares_total 10.0");
    int exporterPort = context.getBean(JavaPrometheusExporter.class).port();
    assertThat(send(exporterPort, "GET", "/metrics").body())
        .contains("java_http_requests_total_by_view_transport_method_total");
    HttpResponse<String> actuator = send(port, "GET", "/actuator/prometheus");
    assertThat(actuator.statusCode()).isEqualTo(200);
    assertThat(actuator.body()).contains("http_server_requests").doesNotContain("java_http_");
    s =
        awaitScrape(
            "java_http_requests_total_by_view_transport_method_total{view=\"prometheus-java-metrics\",transport=\"http\",method=\"GET\"}",
            1);
    assertThat(
            val(
                s,
                "java_http_requests_total_by_view_transport_method_total{view=\"prometheus-java-metrics\",transport=\"http\",method=\"GET\"}"))
        .isEqualTo(1);
  }
}
