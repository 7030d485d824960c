package io.github.javaprometheus.monitoring;

import static io.github.javaprometheus.monitoring.Servers.get;
import static io.github.javaprometheus.monitoring.Servers.pause;
import static io.github.javaprometheus.monitoring.Servers.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.monitoring.Servers.Demo;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code prometheus.native-histograms=true}: a real Prometheus with {@code
 * --enable-feature=native-histograms} scrapes the demo's exporter in protobuf and stores the native
 * latency histograms; {@code histogram_quantile} on them lands within the bucket error of the
 * classic histograms of the same observations.
 *
 * <p>The same observations: one demo instance, scraped by two jobs of one Prometheus. Job {@code
 * native} negotiates protobuf, and Prometheus 2.42 with the feature then keeps only the native
 * histogram of a family that has both; job {@code classic} adds {@code ?debug=text}, which makes
 * client_java answer in the text format, whose histograms are the classic buckets.
 *
 * <p>"Within the bucket error", precisely. Let {@code rank = q·count}, {@code (l_c, u_c]} the classic
 * bucket where the cumulative count first reaches {@code rank}, {@code (l_n, u_n]} the native
 * bucket where it does, and {@code γ = u_n / l_n = 2^(2^-schema)} the native growth factor. Both
 * buckets hold the rank-th observation, so they overlap; Prometheus interpolates inside each, so
 * the classic estimate lies in {@code [l_c, u_c]} and the native one in {@code [l_n, u_n]}, hence in
 * {@code [l_c/γ, u_c·γ]}: the classic bucket widened by one native bucket's relative error ({@code
 * γ−1}) on each side. All of that is asserted, for q = 0.5, 0.9, 0.99 on three views.
 */
class NativeHistogramsIT {
  private static final String LATENCY = "java_http_requests_latency_seconds_by_view_method";
  private static final String VIEW = "io.github.javaprometheus.demo.DemoController.";
  /** Path to view method: a plain answer, a database insert, a cache set and get. */
  private static final Map<String, String> VIEWS =
      Map.of("/myview/", "myView", "/myview2/", "myView2", "/myview3/", "myView3");
  private static final int REQUESTS_PER_VIEW = 150;
  private static final double[] QUANTILES = {0.5, 0.9, 0.99};

  @Test
  @SuppressWarnings("try")
  void nativeQuantilesLieWithinTheClassicBucketWidenedByTheNativeRelativeError(@TempDir Path dir) {
    Demo demo = Servers.demo(dir.resolve("demo"), Map.of("PROMETHEUS_NATIVE_HISTOGRAMS", "true"), List.of());
    int prometheusPort = FreePorts.next();
    String target = "['127.0.0.1:" + demo.exporterPort() + "']";
    String config =
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
            + "scrape_configs:\n"
            + "  - job_name: native\n    static_configs:\n      - targets: " + target + "\n"
            + "  - job_name: classic\n    params:\n      debug: ['text']\n"
            + "    static_configs:\n      - targets: " + target + "\n";
    ServerProcess prometheus =
        Servers.prometheus(dir.resolve("prometheus"), prometheusPort, config, "native-histograms");
    try (ServerProcess d = demo.process();
        ServerProcess p = prometheus) {
      Servers.startAll(d, p);
      for (int i = 0; i < REQUESTS_PER_VIEW; i++) {
        for (String path : VIEWS.keySet()) {
          assertThat(get("http://127.0.0.1:" + demo.appPort() + path).statusCode()).as(path).isEqualTo(200);
        }
      }

      // Both jobs have scraped after the last request: every view counted exactly, in both.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!allCounted(prometheusPort)) {
        assertThat(System.nanoTime() - deadline)
            .withFailMessage("counts did not reach %d within 30 s: %s", REQUESTS_PER_VIEW,
                query(prometheusPort, "histogram_count(" + LATENCY + ") or " + LATENCY + "_count"))
            .isNegative();
        pause(500);
      }
      // Each job has one kind: no classic buckets from the protobuf job, no native histogram
      // from the text job.
      assertThat(query(prometheusPort, LATENCY + "_bucket{job=\"native\"}")).isEmpty();
      assertThat(query(prometheusPort, LATENCY + "{job=\"classic\"}")).isEmpty();

      StringBuilder report = new StringBuilder();
      for (String method : VIEWS.values()) {
        String view = VIEW + method;
        String nativeSelector = LATENCY + "{job=\"native\",view=\"" + view + "\",method=\"GET\"}";
        String classicSelector = LATENCY + "_bucket{job=\"classic\",view=\"" + view + "\",method=\"GET\"}";
        // One data point, the same observations: equal sums, not only equal counts.
        assertThat(scalar(prometheusPort, "histogram_sum(" + nativeSelector + ")"))
            .isEqualTo(scalar(prometheusPort, LATENCY + "_sum{job=\"classic\",view=\"" + view + "\",method=\"GET\"}"));

        NativeBuckets nativeBuckets = NativeBuckets.of(query(prometheusPort, nativeSelector));
        assertThat(nativeBuckets.count()).isEqualTo(REQUESTS_PER_VIEW);
        TreeMap<Double, Double> classic = new TreeMap<>();
        for (JsonNode s : query(prometheusPort, classicSelector)) {
          classic.put(OpenMetricsSamples.number(s.get("metric").get("le").asString()),
              Double.parseDouble(s.get("value").get(1).asString()));
        }
        assertThat(classic.lastEntry().getValue()).isEqualTo(REQUESTS_PER_VIEW);
        double gamma = nativeBuckets.gamma();

        for (double q : QUANTILES) {
          double rank = q * REQUESTS_PER_VIEW;
          double[] c = classicBucket(classic, rank);
          double[] n = nativeBuckets.bucketAt(rank);
          double classicEstimate = scalar(prometheusPort, "histogram_quantile(" + q + ", sum by (le) (" + classicSelector + "))");
          double nativeEstimate = scalar(prometheusPort, "histogram_quantile(" + q + ", " + nativeSelector + ")");
          String what = String.format(
              "%s q=%s: classic %.6f in (%s, %s], native %.6f in (%.6f, %.6f], gamma %.5f",
              method, q, classicEstimate, c[0], c[1], nativeEstimate, n[0], n[1], gamma);
          report.append(what).append('\n');
          assertThat(Math.max(c[0], n[0])).as("buckets holding the rank overlap: " + what).isLessThan(Math.min(c[1], n[1]));
          assertThat(classicEstimate).as(what).isBetween(c[0], c[1]);
          assertThat(nativeEstimate).as(what).isBetween(n[0], n[1]);
          assertThat(nativeEstimate).as(what).isBetween(c[0] / gamma, c[1] * gamma);
        }
      }
      System.out.print(report);
    }
  }

  private static boolean allCounted(int port) {
    for (String method : VIEWS.values()) {
      String view = "view=\"" + VIEW + method + "\",method=\"GET\"";
      JsonNode n = query(port, "histogram_count(" + LATENCY + "{job=\"native\"," + view + "})");
      JsonNode c = query(port, LATENCY + "_count{job=\"classic\"," + view + "}");
      if (n.size() != 1 || c.size() != 1
          || Double.parseDouble(n.get(0).get("value").get(1).asString()) != REQUESTS_PER_VIEW
          || Double.parseDouble(c.get(0).get("value").get(1).asString()) != REQUESTS_PER_VIEW) {
        return false;
      }
    }
    return true;
  }

  private static double scalar(int port, String promql) {
    JsonNode result = query(port, promql);
    assertThat(result).as(promql).hasSize(1);
    return OpenMetricsSamples.number(result.get(0).get("value").get(1).asString());
  }

  /** The classic bucket {@code (lower, upper]} where the cumulative count first reaches rank. */
  private static double[] classicBucket(TreeMap<Double, Double> cumulative, double rank) {
    double lower = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        return new double[] {lower, e.getKey()};
      }
      lower = e.getKey();
    }
    throw new AssertionError("rank " + rank + " beyond " + cumulative);
  }

  /** A native histogram as Prometheus's API returns it: its non-empty buckets, in order. */
  record NativeBuckets(double count, List<double[]> buckets) {
    static NativeBuckets of(JsonNode result) {
      assertThat(result).hasSize(1);
      JsonNode h = result.get(0).get("histogram");
      assertThat(h).as("a native histogram: %s", result).isNotNull();
      JsonNode body = h.get(1);
      List<double[]> buckets = new ArrayList<>();
      for (JsonNode b : body.get("buckets")) {
        buckets.add(new double[] {
          Double.parseDouble(b.get(1).asString()),
          Double.parseDouble(b.get(2).asString()),
          Double.parseDouble(b.get(3).asString())
        });
      }
      return new NativeBuckets(Double.parseDouble(body.get("count").asString()), buckets);
    }

    /** {@code upper/lower}, the same for every positive bucket: {@code 2^(2^-schema)}. */
    double gamma() {
      double gamma = 0;
      for (double[] b : buckets) {
        assertThat(b[0]).as("latencies are positive, above the zero bucket").isPositive();
        double ratio = b[1] / b[0];
        if (gamma == 0) {
          gamma = ratio;
        }
        assertThat(ratio).isCloseTo(gamma, org.assertj.core.api.Assertions.within(1e-9));
      }
      double schema = -Math.log(Math.log(gamma) / Math.log(2)) / Math.log(2);
      assertThat(schema).as("an integer schema").isCloseTo(Math.rint(schema), org.assertj.core.api.Assertions.within(1e-6));
      return gamma;
    }

    double[] bucketAt(double rank) {
      double cumulative = 0;
      for (double[] b : buckets) {
        cumulative += b[2];
        if (cumulative >= rank) {
          return new double[] {b[0], b[1]};
        }
      }
      throw new AssertionError("rank " + rank + " beyond " + count);
    }
  }
}
