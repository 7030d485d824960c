package io.github.javaprometheus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With Spring Security on the class path, Spring Security stays in charge of {@code /metrics}: our
 * endpoint never bypasses it. The three ways applications set it up: Boot's default (everything
 * secured), a chain that protects {@code /metrics} with its own users, and a chain that permits
 * {@code /metrics} and leaves its protection to {@code prometheus.auth.*}.
 */
class SpringSecurityIT {
  private static final String SCRAPE_PASSWORD = "scrape-pass";

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

    @RestController
    static class Hello {
      @GetMapping("/hello")
      String hello() {
        return "hello";
      }
    }
  }

  /** {@code /metrics} needs a user of the application's own, like the rest of the app. */
  @Configuration(proxyBeanMethods = false)
  static class MetricsNeedAnAppUser {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .httpBasic(Customizer.withDefaults())
          .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ops").password("{noop}ops-pass").roles("OPS").build());
    }
  }

  /**
   * {@code /metrics} permitted by Spring Security in a chain of its own, without {@code httpBasic}
   * (that filter would take the scraper's Authorization header for one of the app's users and
   * refuse it); the library's own basic auth protects it.
   */
  @Configuration(proxyBeanMethods = false)
  static class MetricsPermitted {
    @Bean
    @Order(1)
    SecurityFilterChain metricsChain(HttpSecurity http) throws Exception {
      return http.securityMatcher("/metrics")
          .authorizeHttpRequests(a -> a.anyRequest().permitAll())
          .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain appChain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .httpBasic(Customizer.withDefaults())
          .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ops").password("{noop}ops-pass").roles("OPS").build());
    }
  }

  @AfterEach
  void close() {
    if (context != null) {
      context.close();
    }
  }

  private int start(Class<?> security, Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>();
    p.put("server.port", "0");
    p.put("server.address", "127.0.0.1");
    p.put("spring.main.banner-mode", "off");
    p.put("prometheus.jvm-metrics", "false");
    p.putAll(extra);
    SpringApplicationBuilder b = new SpringApplicationBuilder(App.class).properties(p);
    if (security != null) {
      b.sources(security);
    }
    context = b.run();
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  private HttpResponse<String> get(int port, String path, String user, String password)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    if (user != null) {
      r.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String sha256Hex(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void bootsDefaultSecuritySecuresMetricsToo() throws Exception {
    int port = start(null, Map.of());
    HttpResponse<String> r = get(port, "/metrics", null, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).doesNotContain("java_http_");
  }

  @Test
  void aChainThatProtectsMetricsDecidesWhoReadsThem() throws Exception {
    int port = start(MetricsNeedAnAppUser.class, Map.of());
    HttpResponse<String> anonymous = get(port, "/metrics", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain("java_http_");
    assertThat(get(port, "/metrics", "ops", "wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> ops = get(port, "/metrics", "ops", "ops-pass");
    assertThat(ops.statusCode()).isEqualTo(200);
    assertThat(ops.body()).contains("java_http_requests_before_middlewares_total");
  }

  @Test
  void aChainThatPermitsMetricsLeavesThemToTheLibrarysBasicAuth() throws Exception {
    int port =
        start(
            MetricsPermitted.class,
            Map.of(
                "prometheus.auth.username", "prometheus",
                "prometheus.auth.password-sha256", sha256Hex(SCRAPE_PASSWORD)));
    HttpResponse<String> anonymous = get(port, "/metrics", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    // The challenge is the library's: Spring Security let the request through.
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"prometheus\", charset=\"UTF-8\"");
    assertThat(get(port, "/metrics", "ops", "ops-pass").statusCode()).isEqualTo(401);
    HttpResponse<String> scraper = get(port, "/metrics", "prometheus", SCRAPE_PASSWORD);
    assertThat(scraper.statusCode()).isEqualTo(200);
    assertThat(scraper.body()).contains("java_http_requests_before_middlewares_total");
    // The rest of the application is still Spring Security's.
    assertThat(get(port, "/hello", null, null).statusCode()).isEqualTo(401);
    assertThat(get(port, "/hello", "ops", "ops-pass").body()).isEqualTo("hello");
  }
}
