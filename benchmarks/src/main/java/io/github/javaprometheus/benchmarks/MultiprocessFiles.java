package io.github.javaprometheus.benchmarks;

import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.multiprocess.MultiprocessStore;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The R7 directory: {@value #PROCESSES} writer processes × 4 files ({@code counter}, {@code
 * histogram}, {@code gauge_all}, {@code gauge_livesum}) = 512 files, each process with the shape of
 * a web worker's HTTP families: 30 request counters by view/transport/method, 5 by status, 3 by
 * exception type, a latency histogram by view and method (20 series × 17 buckets + sum), an
 * in-flight gauge and 5 per-process gauges. About 420 entries per process, 54 000 in all.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.github.javaprometheus.benchmarks.MultiprocessFiles <dir>}
 * writes it for the Python side of the comparison.
 */
public final class MultiprocessFiles {
  static final int PROCESSES = 128;
  static final int VIEWS = 10;
  static final String[] METHODS = {"GET", "POST", "PUT"};

  private MultiprocessFiles() {}

  public static void main(String[] args) throws IOException {
    Path dir = Paths.get(args[0]);
    Files.createDirectories(dir);
    write(dir);
    System.out.println("wrote " + PROCESSES * 4 + " files to " + dir);
  }

  /** Writes the directory; each process id is {@code w<n>}, as many JVMs would. */
  static void write(Path dir) {
    for (int p = 0; p < PROCESSES; p++) {
      MultiprocessStore store = MultiprocessStore.builder(dir).processId("w" + p).open();
      MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry(), store);
      BoundedFamily<CounterDataPoint> requests =
          f.counter(
              "http_requests_total_by_view_transport_method",
              "Count of requests by view, transport, method.",
              "view",
              "transport",
              "method");
      BoundedFamily<DistributionDataPoint> latency =
          f.latencyHistogram(
              "http_requests_latency_seconds_by_view_method",
              "Histogram of request processing time labelled by view.",
              "view",
              "method");
      for (int v = 0; v < VIEWS; v++) {
        String view = "com.example.DemoController.view" + v;
        for (int m = 0; m < METHODS.length; m++) {
          requests.labels(view, "http", METHODS[m]).inc(p + v + m);
          if (m < 2) {
            DistributionDataPoint h = latency.labels(view, METHODS[m]);
            h.observe(0.003 * (v + 1));
            h.observe(0.2 * (m + 1));
          }
        }
      }
      BoundedFamily<CounterDataPoint> status =
          f.counter("http_responses_total_by_status", "Count of responses by status.", "status");
      for (String s : new String[] {"200", "302", "404", "500", "503"}) {
        status.label(s).inc(p);
      }
      BoundedFamily<CounterDataPoint> exceptions =
          f.counter("http_exceptions_total_by_type", "Count of exceptions by object type.", "type");
      for (String t : new String[] {"IllegalStateException", "IOException", "SQLException"}) {
        exceptions.label(t).inc();
      }
      f.gauge("http_inflight_requests", "Current number of inflight requests.", GaugeMode.LIVESUM)
          .noLabels()
          .set(p % 3);
      BoundedFamily<io.prometheus.metrics.core.datapoints.GaugeDataPoint> heap =
          f.gauge("worker_heap_bytes", "Heap used by area.", GaugeMode.ALL, "area");
      for (String a : new String[] {"eden", "survivor", "old", "metaspace", "code"}) {
        heap.label(a).set(1_000_000.0 * (p + 1));
      }
    }
  }

  /** What the merge must say for {@code view0}/{@code GET}: the sum of {@code p + 0 + 0} over processes. */
  static double expectedView0Get() {
    return (double) PROCESSES * (PROCESSES - 1) / 2;
  }
}
