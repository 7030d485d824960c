package io.github.javaprometheus.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.MetricStore;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written here are Python prometheus_client's own, byte for byte, and both merges agree on
 * every sample. The reference is Debian's python3-prometheus-client (0.16) under /usr/bin/python3.
 */
class PythonCompatibilityIT {

  private static final String[] TRICKY = {
    "/caf\u00e9/", "quote\"back\\slash\nnewline\ttab", "\uD83D\uDE00 emoji", "", "ctl\u0001del\u007f", "plain"
  };

  private static FileFormat layout;

  @BeforeAll
  static void pythonClientIsInstalled() throws Exception {
    layout = Python.layout(); // 0.16.0 on Debian 12: FileFormat.VALUE
  }

  @Test
  void keysPaddingGrowthAndValuesAreByteForBytePythonsMmapedDict(@TempDir Path dir) throws Exception {
    // 3000 entries with help texts of every length mod 8 (so 1 to 8 spaces of padding), the
    // tricky label values, and enough bytes to grow the file twice past its first 64 KiB.
    StringBuilder spec = new StringBuilder("[");
    List<String> keys = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String metric = "m" + (i % 7);
      String sample = metric + (i % 2 == 0 ? "_total" : "");
      String[] names = i % 3 == 0 ? new String[] {"view", "a"} : new String[] {"z"};
      String[] vals =
          i % 3 == 0 ? new String[] {TRICKY[i % TRICKY.length], "x" + i} : new String[] {"v" + i};
      String help = "help " + "h".repeat(i % 9) + (i % 11 == 0 ? "\n\u00e9" : "");
      double value = i * 0.1 - 3 + (i % 5 == 0 ? 1e300 : 0);
      keys.add(PythonText.key(metric, sample, names, vals, help));
      values.add(value);
      if (i > 0) {
        spec.append(", ");
      }
      spec.append('[');
      PythonText.string(spec, metric);
      spec.append(", ");
      PythonText.string(spec, sample);
      spec.append(", [");
      for (int n = 0; n < names.length; n++) {
        spec.append(n == 0 ? "" : ", ");
        PythonText.string(spec, names[n]);
      }
      spec.append("], [");
      for (int n = 0; n < vals.length; n++) {
        spec.append(n == 0 ? "" : ", ");
        PythonText.string(spec, vals[n]);
      }
      spec.append("], ");
      PythonText.string(spec, help);
      spec.append(", ").append(PythonText.repr(value)).append(']');
    }
    spec.append(']');
    Path specFile = dir.resolve("spec.json");
    Files.writeString(specFile, spec, StandardCharsets.UTF_8);

    Python.ok(null, "bytes.py", specFile.toString(), dir.resolve("python.db").toString());
    MmapFile java = MmapFile.open(dir.resolve("java.db"), layout);
    for (int i = 0; i < keys.size(); i++) {
      Slots s = java.slots(keys.get(i));
      Slots.set(s.buffer, s.offsets[0], values.get(i));
    }
    java.close();

    byte[] ours = Files.readAllBytes(dir.resolve("java.db"));
    byte[] theirs = Files.readAllBytes(dir.resolve("python.db"));
    assertThat(ours.length).isEqualTo(theirs.length).isEqualTo(4 * MmapFile.INITIAL_SIZE);
    assertThat(ours).isEqualTo(theirs);
  }

  @Test
  void pythonMergesFilesOfThreeJavaProcessesExactlyAsWeDo(@TempDir Path dir) throws Exception {
    for (int p = 1; p <= 3; p++) {
      MultiprocessStore store =
          MultiprocessStore.builder(dir).processId("70" + p).format(layout).open();
      writeAsAJavaProcess(store, p);
    }
    MultiprocessCollector ours = new MultiprocessCollector(dir);

    List<String> python = Python.lines(Python.ok(dir, "samples.py"));
    List<String> java = PythonSamples.of(ours.collect(), "java_multiprocess_file_errors");

    assertThat(java).isEqualTo(python);
    // Spot checks of what the merge must say, independent of either implementation:
    assertThat(python)
        .contains(
            "java_jobs_total{view=\"/caf\\u00e9/\"} 6.0",
            "java_inflight{} 6.0",
            "java_temperature{pid=\"702\",room=\"a\"} 2.0",
            "java_coldest{room=\"a\"} 1.0",
            "java_hottest{room=\"a\"} 3.0",
            "java_request_bytes_count{} 15.0",
            "java_request_bytes_bucket{le=\"5.36870912e+08\"} 15.0");
    for (String file : List.of("counter_701.db", "histogram_702.db", "gauge_livesum_703.db")) {
      List<String> read = Python.lines(Python.ok(null, "read.py", dir.resolve(file).toString()));
      assertThat(read.get(read.size() - 1)).isEqualTo("reopened " + (read.size() - 1));
    }
  }

  @Test
  void weMergePythonAndJavaProcessesInOneDirectoryExactlyAsPythonDoes(@TempDir Path dir)
      throws Exception {
    for (int n = 1; n <= 3; n++) {
      Python.ok(dir, "write.py", String.valueOf(n));
    }
    // A JVM writing the same families as the Python processes, and one of its own.
    MetricStore store = MultiprocessStore.builder(dir).processId("9001").format(layout).open();
    CounterDataPoint requests =
        store.counter("mixed_requests", "Requests by view and method", new String[] {"view", "method"})
            .labelValues("/caf\u00e9/", "GET");
    requests.inc(10);
    DistributionDataPoint latency =
        store.histogram(
                "mixed_latency_seconds",
                "Latency",
                new double[] {0.005, 0.01, 0.1, 1, 2.5, 1e6, 536870912},
                false,
                new String[] {"view"})
            .labelValues("/x");
    latency.observe(0.007);
    latency.observe(2.5);
    store.gauge("py_gauge_livesum", "Gauge merged by livesum", GaugeMode.LIVESUM, new String[] {"kind"})
        .labelValues("a")
        .set(100);

    List<String> python = Python.lines(Python.ok(dir, "samples.py"));
    List<String> java =
        PythonSamples.of(new MultiprocessCollector(dir).collect(), "java_multiprocess_file_errors");

    assertThat(java).isEqualTo(python);
    assertThat(java)
        .contains(
            "mixed_requests_total{method=\"GET\",view=\"/caf\\u00e9/\"} 16.0",
            "mixed_requests_total{method=\"GET\",view=\"\\ud83d\\ude00 emoji\"} 3.0",
            "py_gauge_livesum{kind=\"a\"} 109.0",
            "mixed_latency_seconds_count{view=\"/x\"} 20.0",
            "py_size_bytes_sum{} 12.0");
  }

  @Test
  void contendedChildrenGetCellsThatPythonSumsLikeWeDo(@TempDir Path dir) throws Exception {
    MultiprocessStore store =
        MultiprocessStore.builder(dir).processId("4242").format(layout).open();
    MetricFamilies f = MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry(), store);
    CounterDataPoint hits = f.counter("hits", "Hits").noLabels();
    DistributionDataPoint sizes = f.histogram("sizes", "Sizes", new double[] {1, 2}).noLabels();
    int threads = 4;
    long perThread = 200_000;
    long rounds = 0;
    do {
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w =
            new Thread(
                () -> {
                  for (long i = 0; i < perThread; i++) {
                    hits.inc();
                    sizes.observe(i % 3); // 0, 1, 2: buckets 1, 1, 2
                  }
                });
        w.start();
        workers.add(w);
      }
      for (Thread w : workers) {
        w.join();
      }
      rounds++;
    } while ((((Striped) hits).cellCount() == 0 || ((Striped) sizes).cellCount() == 0) && rounds < 20);
    assertThat(((Striped) hits).cellCount()).as("cells after contention").isPositive();
    assertThat(((Striped) sizes).cellCount()).as("cells after contention").isPositive();

    double total = (double) rounds * threads * perThread;
    assertThat(hits.get()).isEqualTo(total);
    assertThat(sizes.getCount()).isEqualTo((long) total);
    List<String> python = Python.lines(Python.ok(dir, "samples.py"));
    assertThat(PythonSamples.of(new MultiprocessCollector(dir).collect(), "java_multiprocess_file_errors"))
        .isEqualTo(python);
    assertThat(python).contains("java_hits_total{} " + PythonText.repr(total), "java_sizes_count{} " + PythonText.repr(total));
  }

  /** What one JVM of the demo would write: our families with tricky labels, gauges in every mode. */
  private static void writeAsAJavaProcess(MultiprocessStore store, int p) {
    MetricFamilies f =
        MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry(), store);
    BoundedFamily<CounterDataPoint> jobs = f.counter("jobs", "Jobs by view", "view");
    for (String v : TRICKY) {
      jobs.label(v).inc(p);
    }
    f.counter("plain", "No labels").noLabels().inc(0.25 * p);
    f.gauge("inflight", "In flight", GaugeMode.LIVESUM).noLabels().inc(p);
    f.gauge("temperature", "Per process", GaugeMode.ALL, "room").label("a").set(p);
    f.gauge("coldest", "Min", GaugeMode.MIN, "room").label("a").set(p);
    f.gauge("hottest", "Max", GaugeMode.LIVEMAX, "room").label("a").set(p);
    BoundedFamily<GaugeDataPoint> sum = f.gauge("summed", "Sum", GaugeMode.SUM, "room");
    sum.label("a").inc(p);
    sum.label("b").dec(p);
    BoundedFamily<DistributionDataPoint> latency =
        f.latencyHistogram("latency_seconds", "Latency by view", "view");
    for (String v : TRICKY) {
      latency.label(v).observe(0.02 * p);
      latency.label(v).observe(100);
    }
    DistributionDataPoint bytes =
        f.histogram("request_bytes", "Body sizes", bodyBuckets()).noLabels();
    for (int i = 0; i < p; i++) {
      bytes.observe(1 << 28);
      bytes.observe(1 << 29);
    }
    bytes.observe(3);
  }

  private static double[] bodyBuckets() {
    double[] b = new double[31];
    for (int i = 1; i < b.length; i++) {
      b[i] = 1L << (i - 1);
    }
    return b;
  }
}
