package io.github.javaprometheus.monitoring;

import static io.github.javaprometheus.monitoring.Servers.api;
import static io.github.javaprometheus.monitoring.Servers.encode;
import static io.github.javaprometheus.monitoring.Servers.get;
import static io.github.javaprometheus.monitoring.Servers.pause;
import static io.github.javaprometheus.monitoring.Servers.scrapeOpenMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.monitoring.OpenMetricsSamples.Exemplar;
import io.github.javaprometheus.monitoring.OpenMetricsSamples.Sample;
import io.github.javaprometheus.monitoring.Servers.Demo;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The demo jar with the OpenTelemetry Java agent attached and no code of ours for tracing:
 * client_java picks the agent's current span, so the OpenMetrics exposition of our counters and
 * histograms carries {@code trace_id}/{@code span_id} exemplars of the request that was measured,
 * and a real Prometheus with {@code --enable-feature=exemplar-storage} stores them. The same jar in
 * multiprocess mode exposes none: the files hold numbers only, as Python's do.
 *
 * <p>Each request sends a W3C {@code traceparent} made here, so the trace id the agent continues is
 * known. client_java keeps one exemplar per classic bucket (per counter child) and replaces one
 * only when it is older than 7 s, so the test uses children that no request touched before (a
 * view's latency) or waits until the start-up's database exemplars are 7 s old.
 */
class AgentExemplarsIT {
  private static final String LATENCY = "java_http_requests_latency_seconds_by_view_method";
  private static final String DB_DURATION = "java_db_query_duration_seconds";
  private static final String VIEW2 = "io.github.javaprometheus.demo.DemoController.myView2";
  private static final String VIEW1 = "io.github.javaprometheus.demo.DemoController.myView";
  /** The demo's latency buckets: django-prometheus's (DESIGN §3). */
  private static final double[] LATENCY_BUCKETS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 25, 50, 75, Double.POSITIVE_INFINITY
  };
  /** client_java's default minimum retention of an exemplar before a newer one may replace it. */
  private static final long MIN_RETENTION_MILLIS = 7000;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A W3C trace context: version 00, a random trace and parent span, sampled. */
  record TraceParent(String traceId, String parentSpanId) {
    static TraceParent random() {
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      RANDOM.nextBytes(trace);
      RANDOM.nextBytes(span);
      return new TraceParent(HexFormat.of().formatHex(trace), HexFormat.of().formatHex(span));
    }

    String header() {
      return "00-" + traceId + "-" + parentSpanId + "-01";
    }
  }

  @Test
  @SuppressWarnings("try")
  void agentsTraceIdsAreExemplarsOfLatencyAndQueryDurationAndPrometheusStoresThem(@TempDir Path dir) {
    Demo demo = Servers.demo(dir.resolve("demo"), Map.of(), Servers.otelAgent());
    Path multiprocDir = dir.resolve("multiproc-files");
    try {
      Files.createDirectories(multiprocDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Demo multiprocess =
        Servers.demo(
            dir.resolve("multiprocess"),
            Map.of("PROMETHEUS_MULTIPROC_DIR", multiprocDir.toString()),
            Servers.otelAgent());
    int prometheusPort = FreePorts.next();
    String config =
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
            + "scrape_configs:\n"
            + "  - job_name: demo\n    static_configs:\n      - targets: ['127.0.0.1:" + demo.exporterPort() + "']\n";
    ServerProcess prometheus =
        Servers.prometheus(dir.resolve("prometheus"), prometheusPort, config, "exemplar-storage");
    try (ServerProcess d = demo.process();
        ServerProcess m = multiprocess.process();
        ServerProcess p = prometheus) {
      long startMillis = System.currentTimeMillis();
      Servers.startAll(d, m, p);
      for (ServerProcess jvm : List.of(d, m)) {
        assertThat(jvm.output()).as("the agent is attached").contains("opentelemetry-javaagent - version: 2.");
      }

      // Start-up's queries (Flyway, in spans of the agent's) left exemplars in the database
      // families (a bucket of the duration, the execute counter); a new one replaces them only
      // once they are older than client_java's 7 s.
      List<Sample> before = scrapeOpenMetrics(demo.exporterPort());
      long newestDbExemplar =
          before.stream()
              .filter(s -> s.name().startsWith("java_db_") && s.exemplar() != null)
              .mapToLong(s -> s.exemplar().timestampMillis())
              .max()
              .orElse(0);
      long wait = newestDbExemplar + MIN_RETENTION_MILLIS + 300 - System.currentTimeMillis();
      assertThat(wait).as("wait for the start-up exemplars to age").isLessThan(MIN_RETENTION_MILLIS + 1000);
      if (wait > 0) {
        pause(wait);
      }
      double executesBefore = value(before, "java_db_execute_total", Map.of());
      assertThat(samples(before, LATENCY + "_count", Map.of("view", VIEW2))).isEmpty();

      TraceParent t1 = TraceParent.random();
      TraceParent t2 = TraceParent.random();
      HttpResponse<String> r1 = get("http://127.0.0.1:" + demo.appPort() + "/myview2/", "traceparent", t1.header());
      HttpResponse<String> r2 = get("http://127.0.0.1:" + demo.appPort() + "/myview/", "traceparent", t2.header());
      assertThat(r1.statusCode()).isEqualTo(200);
      assertThat(r2.statusCode()).isEqualTo(200);

      List<Sample> after = scrapeOpenMetrics(demo.exporterPort());
      // One request per view, one INSERT: exact counts.
      assertThat(value(after, LATENCY + "_count", Map.of("view", VIEW2, "method", "GET"))).isEqualTo(1.0);
      assertThat(value(after, LATENCY + "_count", Map.of("view", VIEW1, "method", "GET"))).isEqualTo(1.0);
      assertThat(value(after, "java_db_execute_total", Map.of())).isEqualTo(executesBefore + 1);

      // Latency by view: one exemplar per view, in the bucket its value falls in, of that
      // request's trace; the span is the agent's server span (a child of the parent we sent).
      Sample latency2 = onlyExemplar(after, LATENCY + "_bucket", Map.of("view", VIEW2, "method", "GET"));
      assertExemplarOf(latency2, t1);
      assertThat(latency2.label("le")).isEqualTo(bucketOf(latency2.exemplar().value()));
      Sample latency1 = onlyExemplar(after, LATENCY + "_bucket", Map.of("view", VIEW1, "method", "GET"));
      assertExemplarOf(latency1, t2);
      assertThat(latency1.label("le")).isEqualTo(bucketOf(latency1.exemplar().value()));

      // The INSERT of /myview2/: the duration's exemplar and the execute counter's are in the same
      // trace, in the agent's JDBC span (a child of the server span, so another span id).
      List<Sample> dbOfT1 =
          after.stream()
              .filter(s -> s.name().equals(DB_DURATION + "_bucket") && s.exemplar() != null)
              .filter(s -> s.exemplar().traceId().equals(t1.traceId()))
              .toList();
      assertThat(dbOfT1).as("query-duration exemplars of trace %s", t1.traceId()).hasSize(1);
      Sample db = dbOfT1.get(0);
      assertExemplarOf(db, t1);
      assertThat(db.exemplar().spanId()).isNotEqualTo(latency2.exemplar().spanId());
      Sample executes = sample(after, "java_db_execute_total", Map.of());
      assertThat(executes.exemplar()).isNotNull();
      assertThat(executes.exemplar().traceId()).isEqualTo(t1.traceId());
      assertThat(executes.exemplar().spanId()).isEqualTo(db.exemplar().spanId());
      assertThat(executes.exemplar().value()).isEqualTo(1.0);

      // Counters too: the view's request and response counters carry the same server span.
      for (String counter :
          List.of(
              "java_http_requests_total_by_view_transport_method_total",
              "java_http_responses_total_by_status_view_method_total")) {
        Sample c = sample(after, counter, Map.of("view", VIEW2));
        assertThat(c.value()).isEqualTo(1.0);
        assertThat(c.exemplar()).as(counter).isNotNull();
        assertThat(c.exemplar().traceId()).isEqualTo(t1.traceId());
        assertThat(c.exemplar().spanId()).isEqualTo(latency2.exemplar().spanId());
      }

      // Prometheus stores the exemplars it scraped: the same labels, value and time.
      assertStored(prometheusPort, startMillis, LATENCY + "_bucket{view=\"" + VIEW2 + "\"}", latency2);
      assertStored(prometheusPort, startMillis, LATENCY + "_bucket{view=\"" + VIEW1 + "\"}", latency1);
      assertStored(prometheusPort, startMillis, DB_DURATION + "_bucket", db);

      // Multiprocess mode, same agent, same traced request: counted, but no exemplar anywhere.
      TraceParent t3 = TraceParent.random();
      assertThat(get("http://127.0.0.1:" + multiprocess.appPort() + "/myview2/", "traceparent", t3.header()).statusCode())
          .isEqualTo(200);
      List<Sample> mp = scrapeOpenMetrics(multiprocess.exporterPort());
      assertThat(value(mp, LATENCY + "_count", Map.of("view", VIEW2, "method", "GET"))).isEqualTo(1.0);
      assertThat(value(mp, "java_http_requests_total_by_view_transport_method_total", Map.of("view", VIEW2)))
          .isEqualTo(1.0);
      assertThat(mp.stream().filter(s -> s.exemplar() != null).toList())
          .as("exemplars in multiprocess mode")
          .isEmpty();
    }
  }

  private static void assertExemplarOf(Sample s, TraceParent trace) {
    Exemplar e = s.exemplar();
    assertThat(e.labels().keySet()).as("%s", s).containsExactlyInAnyOrder("trace_id", "span_id");
    assertThat(e.traceId()).as("%s", s).isEqualTo(trace.traceId());
    assertThat(e.spanId()).as("%s", s).matches("[0-9a-f]{16}").isNotEqualTo(trace.parentSpanId());
  }

  /** Polls (30 s at most) until Prometheus returns this exemplar for the selector. */
  private static void assertStored(int port, long startMillis, String selector, Sample scraped) {
    String path =
        "/api/v1/query_exemplars?query=" + encode(selector)
            + "&start=" + (startMillis / 1000 - 60)
            + "&end=" + (System.currentTimeMillis() / 1000 + 60);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode data;
    while (true) {
      data = api(port, path);
      for (JsonNode series : data) {
        if (!scraped.label("le").equals(series.get("seriesLabels").get("le").asString())) {
          continue;
        }
        for (JsonNode e : series.get("exemplars")) {
          JsonNode labels = e.get("labels");
          if (labels.get("trace_id").asString().equals(scraped.exemplar().traceId())) {
            assertThat(labels.get("span_id").asString()).isEqualTo(scraped.exemplar().spanId());
            assertThat(labels.size()).isEqualTo(2);
            assertThat(Double.parseDouble(e.get("value").asString())).isEqualTo(scraped.exemplar().value());
            assertThat(Math.round(e.get("timestamp").asDouble() * 1000)).isEqualTo(scraped.exemplar().timestampMillis());
            return;
          }
        }
      }
      assertThat(System.nanoTime() - deadline)
          .withFailMessage("Prometheus did not store %s for %s within 30 s: %s", scraped, selector, data)
          .isNegative();
      pause(500);
    }
  }

  private static String bucketOf(double value) {
    for (double le : LATENCY_BUCKETS) {
      if (value <= le) {
        return Double.isInfinite(le) ? "+Inf" : String.valueOf(le);
      }
    }
    throw new AssertionError(value);
  }

  private static List<Sample> samples(List<Sample> all, String name, Map<String, String> labels) {
    return all.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> labels.entrySet().stream().allMatch(l -> l.getValue().equals(s.label(l.getKey()))))
        .toList();
  }

  private static Sample sample(List<Sample> all, String name, Map<String, String> labels) {
    List<Sample> found = samples(all, name, labels);
    assertThat(found).as("%s%s", name, labels).hasSize(1);
    return found.get(0);
  }

  private static double value(List<Sample> all, String name, Map<String, String> labels) {
    return sample(all, name, labels).value();
  }

  private static Sample onlyExemplar(List<Sample> all, String name, Map<String, String> labels) {
    List<Sample> with = samples(all, name, labels).stream().filter(s -> s.exemplar() != null).toList();
    assertThat(with).as("%s%s with an exemplar", name, labels).hasSize(1);
    return with.get(0);
  }
}
