package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.demo.CountingWrk.Request;
import io.github.javaprometheus.testing.TextScrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts under load are exact: the packaged demo (embedded Tomcat, the library's filters in front
 * of Spring MVC) under wrk with 8 threads of one connection each. Figures of a run are in
 * docs/reliability.md ("Exactness").
 *
 * <p>{@code -Dexact.requests.per.thread=N} sets the requests per thread of the fixed-count run
 * (10 000 unless set, so that every CI run does 80 000; the 8 × 100 000 with {@code
 * -Dexact.requests.per.thread=100000}). N must be a multiple of 4, the length of the cycle.
 */
class ExactCountsIT {
  private static final String P = "java";
  private static final String VIEW = "io.github.javaprometheus.demo.DemoController.";
  private static final int THREADS = 8;
  private static final int BODY = 16;

  @TempDir static Path dir;
  private static DemoJar demo;

  @BeforeAll
  static void startDemo() {
    demo = new DemoJar(dir, Map.of());
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void eightThreadsTimesNRequestsCountExactlyInEveryHttpFamily() throws Exception {
    long perThread = Long.getLong("exact.requests.per.thread", 10_000);
    assertThat(perThread % 4).as("exact.requests.per.thread must be a multiple of 4").isZero();
    // Each thread cycles through these from its own starting point; N a multiple of 4 sends each
    // exactly N / 4 times per thread, so 2N in all with 8 threads.
    List<Request> cycle =
        List.of(
            Request.get("/myview/"),
            new Request("POST", "/myview/", BODY, false),
            new Request("GET", "/myview3/", 0, true),
            new Request("DELETE", "/myview/", 0, false));
    long each = THREADS * perThread / 4;
    long all = THREADS * perThread;

    TextScrape before = demo.scrape();
    long t0 = System.nanoTime();
    CountingWrk.Result wrk =
        CountingWrk.run(
            Files.createDirectories(dir.resolve("fixed")),
            "http://127.0.0.1:" + demo.appPort,
            THREADS,
            // A deadline only: the threads stop after perThread responses each.
            Duration.ofSeconds(60 + all / 400),
            0,
            perThread,
            cycle);
    double seconds = (System.nanoTime() - t0) / 1e9;
    TextScrape after = idle();
    System.out.printf(
        "exactness: %d threads x %d requests = %d in %.1f s (%.0f/s), wrk: %d completed%n",
        THREADS, perThread, all, seconds, all / seconds, wrk.requests());

    // wrk's side: every thread sent exactly N and read N answers, all 200.
    for (int t = 0; t < THREADS; t++) {
      assertThat(wrk.sent()[t]).as("sent by thread " + t).isEqualTo(perThread);
      assertThat(wrk.completed()[t]).as("read by thread " + t).isEqualTo(perThread);
    }
    assertThat(wrk.requests()).isEqualTo(all);
    assertThat(wrk.socketErrors()).isZero();
    for (int k = 0; k < cycle.size(); k++) {
      assertThat(wrk.responses(k, 200)).as(cycle.get(k).toString()).isEqualTo(each);
    }

    // The app's side: every sample of every HTTP family, as its change over the run. Series not
    // listed (the other methods, statuses...) must not have changed.
    Map<String, Double> expected = new TreeMap<>();
    String h = P + "_http_";
    expected.put(h + "requests_before_middlewares_total", (double) all);
    expected.put(h + "responses_before_middlewares_total", (double) all);
    expected.put(h + "requests_latency_including_middlewares_seconds_count", (double) all);
    expected.put(h + "requests_unknown_latency_including_middlewares_total", 0.0);
    expected.put(h + "requests_unknown_latency_total", 0.0);
    expected.put(h + "inflight_requests", 0.0);
    expected.put(h + "ajax_requests_total", (double) each);
    expected.put(h + "requests_total_by_method_total{method=\"GET\"}", 2.0 * each);
    expected.put(h + "requests_total_by_method_total{method=\"POST\"}", (double) each);
    expected.put(h + "requests_total_by_method_total{method=\"DELETE\"}", (double) each);
    expected.put(h + "requests_total_by_transport_total{transport=\"http\"}", (double) all);
    for (String[] vm :
        List.of(
            new String[] {"myView", "GET"},
            new String[] {"myView", "POST"},
            new String[] {"myView3", "GET"},
            new String[] {"myView", "DELETE"})) {
      String view = "view=\"" + VIEW + vm[0] + "\"";
      String method = "method=\"" + vm[1] + "\"";
      expected.put(
          h + "requests_total_by_view_transport_method_total{" + method + ",transport=\"http\","
              + view + "}",
          (double) each);
      expected.put(
          h + "responses_total_by_status_view_method_total{" + method + ",status=\"200\"," + view
              + "}",
          (double) each);
      // The latency histogram of each view and method counts its requests exactly.
      expected.put(
          h + "requests_latency_seconds_by_view_method_count{" + method + "," + view + "}",
          (double) each);
      expected.put(
          h + "requests_latency_seconds_by_view_method_bucket{le=\"+Inf\"," + method + "," + view
              + "}",
          (double) each);
    }
    expected.put(h + "requests_body_total_bytes_count", (double) all);
    expected.put(h + "requests_body_total_bytes_bucket{le=\"+Inf\"}", (double) all);
    expected.put(h + "requests_body_total_bytes_sum", (double) each * BODY);
    expected.put(h + "responses_total_by_templatename_total{templatename=\"<unknown template>\"}",
        (double) all);
    expected.put(h + "responses_total_by_status_total{status=\"200\"}", (double) all);
    expected.put(h + "responses_body_total_bytes_count", (double) all);
    expected.put(h + "responses_body_total_bytes_bucket{le=\"+Inf\"}", (double) all);
    // "hello" (5 bytes) from myView, "zhangsan" (8) from myView3.
    expected.put(h + "responses_body_total_bytes_sum", 3.0 * each * 5 + each * 8);
    expected.put(h + "responses_total_by_charset_total{charset=\"UTF-8\"}", (double) all);
    expected.put(h + "responses_streaming_total", 0.0);
    expected.put(h + "requests_latency_including_middlewares_seconds_bucket{le=\"+Inf\"}",
        (double) all);

    Map<String, Double> changed = new TreeMap<>();
    List<String> open = new ArrayList<>();
    for (String line : after.samples()) {
      String series = line.substring(0, line.lastIndexOf(' '));
      if (!series.startsWith(h) || series.contains("_created")) {
        continue;
      }
      // Latency sums and the finite buckets depend on the machine: checked for order below.
      if ((series.contains("latency") && series.contains("_sum"))
          || (series.contains("_bucket") && !series.contains("le=\"+Inf\""))) {
        open.add(series);
        continue;
      }
      changed.put(
          TextScrapeKey.of(series), after.value(series) - before.valueOrZero(series));
    }
    Map<String, Double> wanted = new TreeMap<>();
    expected.forEach((k, v) -> wanted.put(TextScrapeKey.of(k), v));
    // Every expected series is there with its exact change; every other one did not change.
    for (Map.Entry<String, Double> e : changed.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).isEqualTo(wanted.getOrDefault(e.getKey(), 0.0));
    }
    assertThat(changed.keySet()).containsAll(wanted.keySet());
    // The finite buckets of each histogram never exceed +Inf, and grow with le.
    assertBucketsOrdered(after, h);
    assertThat(open).isNotEmpty();

    // The cache the cycle went through counted one hit per /myview3/ (it gets what it just put).
    assertThat(after.value(P + "_cache_get_hits_total{backend=\"simple\",cache=\"default\"}")
            - before.valueOrZero(P + "_cache_get_hits_total{backend=\"simple\",cache=\"default\"}"))
        .isEqualTo(each);
    assertThat(after.value(P + "_cache_get_misses_total{backend=\"simple\",cache=\"default\"}")
            - before.valueOrZero(P + "_cache_get_misses_total{backend=\"simple\",cache=\"default\"}"))
        .isZero();
  }

  @Test
  void requestsCountedByTheBeforeFilterAreWhatWrkCompletedAndTheInFlightAtStop()
      throws Exception {
    TextScrape before = demo.scrape();
    CountingWrk.Result wrk =
        CountingWrk.run(
            Files.createDirectories(dir.resolve("timed")),
            "http://127.0.0.1:" + demo.appPort,
            THREADS,
            Duration.ofSeconds(5),
            0,
            0,
            List.of(Request.get("/myview/")));
    // wrk stops mid-request: a request it wrote may still be in the app, or be one the app never
    // read; it ends none itself. So right after wrk ends the app holds at most the requests wrk
    // sent and did not read an answer to, one per connection at most.
    TextScrape atStop = demo.scrape();
    TextScrape after = idle();
    double counted = delta(before, after, P + "_http_requests_before_middlewares_total");
    long sent = wrk.totalSent();
    long completed = wrk.totalCompleted();
    System.out.printf(
        "exactness, timed: wrk sent %d, completed %d (wrk: %d); before filter counted %.0f;"
            + " in flight at wrk's end %.0f%n",
        sent, completed, wrk.requests(), counted, atStop.value(P + "_http_inflight_requests"));

    assertThat(wrk.socketErrors()).isZero();
    assertThat(completed).isEqualTo(wrk.requests());
    assertThat(wrk.responses(0, 200)).isEqualTo(completed);
    assertThat(sent - completed).isBetween(0L, (long) THREADS);
    assertThat(atStop.value(P + "_http_inflight_requests")).isBetween(0.0, (double) sent - completed);
    // What is asserted: completed <= counted <= sent. Every request wrk read an answer to was
    // counted; the rest counted are the in-flight ones at the stop, which the app still answered.
    assertThat(counted).isBetween((double) completed, (double) sent);
    // And once nothing is in flight, each counted request is exactly one counted 200 response.
    assertThat(after.value(P + "_http_inflight_requests")).isZero();
    assertThat(delta(before, after, P + "_http_responses_before_middlewares_total"))
        .isEqualTo(counted);
    assertThat(delta(before, after, P + "_http_responses_total_by_status_total{status=\"200\"}"))
        .isEqualTo(counted);
    assertThat(
            delta(
                before,
                after,
                P + "_http_requests_latency_seconds_by_view_method_count{method=\"GET\",view=\""
                    + VIEW + "myView\"}"))
        .isEqualTo(counted);
  }

  /** Every histogram's finite buckets are non-decreasing in le and at most its +Inf bucket. */
  private static void assertBucketsOrdered(TextScrape scrape, String prefix) {
    Map<String, List<Double>> byHistogram = new TreeMap<>();
    for (String line : scrape.samples()) {
      String series = line.substring(0, line.lastIndexOf(' '));
      if (series.startsWith(prefix) && series.contains("_bucket{")) {
        String key = series.replaceAll("le=\"[^\"]*\",?", "");
        byHistogram.computeIfAbsent(key, k -> new ArrayList<>()).add(scrape.value(series));
      }
    }
    assertThat(byHistogram).isNotEmpty();
    // The text format lists buckets in increasing le, +Inf last.
    byHistogram.forEach((k, values) -> assertThat(values).as(k).isSorted());
  }

  private static double delta(TextScrape before, TextScrape after, String series) {
    return after.value(series) - before.valueOrZero(series);
  }

  /**
   * Waits (10 s at most) until no request is in flight and the outer filter counted as many
   * responses as requests, then scrapes once more (it counts the response after the client has
   * it; a scrape reads family after family).
   */
  private static TextScrape idle() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape s = demo.scrape();
    while (s.value(P + "_http_inflight_requests") != 0
        || !s.value(P + "_http_requests_before_middlewares_total")
            .equals(s.value(P + "_http_responses_before_middlewares_total"))) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("requests still in flight 10 s after wrk ended:\n" + s.text());
      }
      Thread.sleep(20);
      s = demo.scrape();
    }
    return demo.scrape();
  }

  /** A series with its labels in name order, as TextScrape compares them. */
  private static final class TextScrapeKey {
    static String of(String series) {
      int brace = series.indexOf('{');
      if (brace < 0) {
        return series;
      }
      List<String> labels =
          new ArrayList<>(
              List.of(series.substring(brace + 1, series.length() - 1).split(",(?=[a-z_]+=\")")));
      labels.sort(null);
      return series.substring(0, brace) + "{" + String.join(",", labels) + "}";
    }
  }
}
