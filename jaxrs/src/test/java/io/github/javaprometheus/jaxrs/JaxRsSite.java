package io.github.javaprometheus.jaxrs;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.jaxrs.app.ShopApplication;
import io.github.javaprometheus.servlet.HttpMetrics;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.PrometheusBeforeFilter;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * {@link ShopApplication} behind Jersey's servlet on a real container, as a user deploys it: the
 * two filters of the servlet module around it, java-prometheus-jaxrs on the classpath (its feature
 * service-loaded, nothing registered by the application).
 */
final class JaxRsSite implements AutoCloseable {

  /** With the library and its filters; with both switched off; without either. */
  enum Mode {
    INSTRUMENTED,
    DISABLED,
    ABSENT
  }

  /** What the client got. */
  record Reply(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Reply r
          && r.status == status
          && java.util.Objects.equals(r.contentType, contentType)
          && Arrays.equals(r.body, body);
    }

    @Override
    public int hashCode() {
      return status * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + text();
    }
  }

  final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ServletServer server;
  private final Runnable installed;

  private JaxRsSite(ServletServer.Kind kind, Mode mode, PrometheusSettings settings, List<Filter> inner)
      throws Exception {
    server = kind.create();
    if (mode == Mode.ABSENT) {
      installed = () -> {};
      server.servlet("/api/*", new ServletContainer(ShopApplication.withoutServiceLoading()));
    } else {
      PrometheusSettings s =
          mode == Mode.DISABLED
              ? PrometheusSettings.builder().set("prometheus.enabled", "false").build()
              : settings;
      MetricFamilies families = MetricFamilies.create(s, registry);
      // The feature is service-loaded and takes the default families, as in an application.
      AutoCloseable handle = MetricFamilies.installDefault(families);
      installed =
          () -> {
            try {
              handle.close();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      HttpMetrics metrics = HttpMetrics.create(families);
      server.filter("before", new PrometheusBeforeFilter(metrics));
      server.filter("after", new PrometheusAfterFilter(metrics));
      for (int i = 0; i < inner.size(); i++) {
        server.filter("inner" + i, inner.get(i));
      }
      server.servlet("/api/*", new ServletContainer(new ShopApplication()));
    }
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  static JaxRsSite start(ServletServer.Kind kind, Mode mode) throws Exception {
    return new JaxRsSite(kind, mode, PrometheusSettings.defaults(), List.of());
  }

  static JaxRsSite start(ServletServer.Kind kind, PrometheusSettings settings) throws Exception {
    return new JaxRsSite(kind, Mode.INSTRUMENTED, settings, List.of());
  }

  /** With the given filter inside the after filter, next to Jersey's servlet. */
  static JaxRsSite startWith(ServletServer.Kind kind, Mode mode, Filter inner) throws Exception {
    return new JaxRsSite(kind, mode, PrometheusSettings.defaults(), List.of(inner));
  }

  Reply get(String path) throws Exception {
    return send("GET", path, null);
  }

  Reply send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      request.headers(headers);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "text/plain").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        withoutPort(response.body()));
  }

  /** Error pages quote the request URL: its port, a new one each run, is replaced by PORT. */
  private byte[] withoutPort(byte[] body) {
    String authority = URI.create(server.url("/")).getRawAuthority();
    String latin1 = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    return latin1
        .replace(authority, "127.0.0.1:PORT")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** Waits (10 s at most) until the outer filter has seen that many responses, then scrapes. */
  TextScrape awaitResponses(double expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String series = "java_http_responses_before_middlewares_total";
    TextScrape scrape = TextScrape.of(registry);
    while (scrape.valueOrZero(series) != expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(series + " did not reach " + expected + ":\n" + scrape.text());
      }
      Thread.sleep(10);
      scrape = TextScrape.of(registry);
    }
    return TextScrape.of(registry);
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      installed.run();
    }
  }
}
