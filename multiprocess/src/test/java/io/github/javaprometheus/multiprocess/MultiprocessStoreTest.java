package io.github.javaprometheus.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.exporter.MetricsExporter;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiprocessStoreTest {

  private static MetricFamilies families(Path dir, String processId) {
    MultiprocessStore store = MultiprocessStore.builder(dir).processId(processId).open();
    return MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry(), store);
  }

  private static TextScrape merged(Path dir) {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new MultiprocessCollector(dir));
    return TextScrape.of(registry);
  }

  private static List<String> entries(Path file) {
    List<String> result = new ArrayList<>();
    DbFile.Contents c = DbFile.read(file, FileFormat.VALUE, null);
    assertThat(c.error()).as(c.message()).isNull();
    c.forEach(
        (data, offset, length, value, timestamp) -> {
          byte[] key = new byte[length];
          data.get(offset, key);
          result.add(new String(key, java.nio.charset.StandardCharsets.UTF_8) + " = " + value);
        });
    return result;
  }

  @Test
  void anIncrementIsInTheFileWhenTheCallReturns(@TempDir Path dir) throws Exception {
    CounterDataPoint c = families(dir, "11").counter("requests", "Requests by view", "view").label("/a");
    c.inc(3);

    Path file = dir.resolve("counter_11.db");
    assertThat(entries(file))
        .contains("[\"java_requests\", \"java_requests_total\", {\"view\": \"/a\"}, \"Requests by view\"] = 3.0");
    // The raw layout: used size in the header, key length, key, padding, value (native order).
    ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
    assertThat(raw.capacity()).isEqualTo(65536);
    String key = "[\"java_requests\", \"java_requests_total\", {\"view\": \"/a\"}, \"Requests by view\"]";
    int last = raw.getInt(0) - 8;
    assertThat(raw.getDouble(last)).isEqualTo(3.0);
    assertThat(raw.getInt(last - MmapFile.padded(key.length()) - 4)).isEqualTo(key.length());
    c.inc();
    assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder()).getDouble(last))
        .isEqualTo(4.0);
  }

  @Test
  void metricFamiliesFindTheStoreThroughServiceLoaderAndTheRegistryServesTheMergedView(@TempDir Path dir) {
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies mine =
        MetricFamilies.create(
            PrometheusSettings.builder().set("prometheus.multiproc-dir", dir.toString()).build(), registry);
    assertThat(mine.store()).isInstanceOf(MultiprocessStore.class);
    mine.counter("jobs", "Jobs", "queue").label("q").inc(2);
    mine.latencyHistogram("job_seconds", "Job time").noLabels().observe(0.3);
    // Another process writing the same directory.
    MetricFamilies other = families(dir, "other");
    other.counter("jobs", "Jobs", "queue").label("q").inc(5);
    other.latencyHistogram("job_seconds", "Job time").noLabels().observe(30);

    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.value("java_jobs_total{queue=\"q\"}")).isEqualTo(7.0);
    assertThat(scrape.samplesStartingWith("java_job_seconds_"))
        .contains(
            "java_job_seconds_bucket{le=\"0.25\"} 0",
            "java_job_seconds_bucket{le=\"0.5\"} 1",
            "java_job_seconds_bucket{le=\"25.0\"} 1",
            "java_job_seconds_bucket{le=\"50.0\"} 2",
            "java_job_seconds_bucket{le=\"+Inf\"} 2",
            "java_job_seconds_count 2",
            "java_job_seconds_sum 30.3");
    assertThat(scrape.value("java_multiprocess_file_errors_total{reason=\"corrupt\"}")).isEqualTo(0.0);
    // Registered once however many factories share the registry.
    MetricFamilies.create(
        PrometheusSettings.builder().set("prometheus.multiproc-dir", dir.toString()).build(), registry);
    assertThat(TextScrape.of(registry).value("java_jobs_total{queue=\"q\"}")).isEqualTo(7.0);
    assertThatThrownBy(() -> mine.counter("jobs", "Jobs", "queue").metric())
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("counter_" + ProcessHandle.current().pid() + ".db");
  }

  @Test
  void gaugesMergeByModeAndMarkingAProcessDeadRemovesOnlyItsLiveGauges(@TempDir Path dir) {
    for (String pid : new String[] {"1", "2", "3"}) {
      MetricFamilies f = families(dir, pid);
      double v = Double.parseDouble(pid);
      f.gauge("all", "h", GaugeMode.ALL).noLabels().set(v);
      f.gauge("liveall", "h", GaugeMode.LIVEALL).noLabels().set(v);
      f.gauge("min", "h", GaugeMode.MIN, "k").label("x").set(10 - v);
      f.gauge("livemin", "h", GaugeMode.LIVEMIN, "k").label("x").set(10 - v);
      f.gauge("max", "h", GaugeMode.MAX).noLabels().set(v);
      f.gauge("livemax", "h", GaugeMode.LIVEMAX).noLabels().set(v);
      f.gauge("sum", "h", GaugeMode.SUM).noLabels().inc(v);
      f.gauge("livesum", "h", GaugeMode.LIVESUM).noLabels().inc(v);
    }
    TextScrape before = merged(dir);
    assertThat(before.samplesStartingWith("java_all"))
        .containsExactlyInAnyOrder("java_all{pid=\"1\"} 1.0", "java_all{pid=\"2\"} 2.0", "java_all{pid=\"3\"} 3.0");
    assertThat(before.samplesStartingWith("java_liveall")).hasSize(3);
    assertThat(before.value("java_min{k=\"x\"}")).isEqualTo(7.0);
    assertThat(before.value("java_livemin{k=\"x\"}")).isEqualTo(7.0);
    assertThat(before.value("java_max")).isEqualTo(3.0);
    assertThat(before.value("java_livemax")).isEqualTo(3.0);
    assertThat(before.value("java_sum")).isEqualTo(6.0);
    assertThat(before.value("java_livesum")).isEqualTo(6.0);

    assertThat(MultiprocessCollector.markProcessDead(dir, "3")).isEqualTo(4);
    assertThat(dir.resolve("gauge_all_3.db")).exists();
    assertThat(dir.resolve("gauge_livesum_3.db")).doesNotExist();

    TextScrape after = merged(dir);
    assertThat(after.samplesStartingWith("java_all")).hasSize(3);
    assertThat(after.samplesStartingWith("java_liveall"))
        .containsExactlyInAnyOrder("java_liveall{pid=\"1\"} 1.0", "java_liveall{pid=\"2\"} 2.0");
    assertThat(after.value("java_min{k=\"x\"}")).isEqualTo(7.0);
    assertThat(after.value("java_livemin{k=\"x\"}")).isEqualTo(8.0);
    assertThat(after.value("java_max")).isEqualTo(3.0);
    assertThat(after.value("java_livemax")).isEqualTo(2.0);
    assertThat(after.value("java_sum")).isEqualTo(6.0);
    assertThat(after.value("java_livesum")).isEqualTo(3.0);
  }

  @Test
  void aMergeRemovesTheLiveGaugesOfAnEndedOwnerAndKeepsThoseOfWritersWithoutALock(@TempDir Path dir)
      throws Exception {
    families(dir, "live").gauge("busy", "h", GaugeMode.LIVESUM).noLabels().inc(1);
    families(dir, "model").gauge("busy", "h", GaugeMode.LIVESUM).noLabels().inc(10);
    // "ended": a lock file nobody holds (its process is gone); "py": no lock file (a Python writer).
    Files.copy(dir.resolve("gauge_livesum_model.db"), dir.resolve("gauge_livesum_ended.db"));
    Files.copy(dir.resolve("gauge_livesum_model.db"), dir.resolve("gauge_liveall_ended.db"));
    Files.createFile(dir.resolve(".java-prometheus-ended.lock"));
    Files.copy(dir.resolve("gauge_livesum_model.db"), dir.resolve("gauge_livesum_py.db"));
    MultiprocessCollector.markProcessDead(dir, "model");

    assertThat(merged(dir).value("java_busy")).isEqualTo(1.0 + 10.0);
    assertThat(dir.resolve("gauge_livesum_ended.db")).doesNotExist();
    assertThat(dir.resolve("gauge_liveall_ended.db")).doesNotExist();
    assertThat(dir.resolve("gauge_livesum_py.db")).exists();
    assertThat(dir.resolve("gauge_livesum_live.db")).exists();
  }

  @Test
  void aNewOwnerOfAnIdDoesNotInheritTheLiveValuesOfTheEndedOneButContinuesItsCounters(@TempDir Path dir)
      throws Exception {
    MetricFamilies model = families(dir, "model");
    model.gauge("busy", "h", GaugeMode.LIVESUM).noLabels().inc(5);
    model.gauge("seen", "h", GaugeMode.ALL).noLabels().set(5);
    model.counter("jobs", "h").noLabels().inc(5);
    for (String prefix : new String[] {"gauge_livesum", "gauge_all", "counter"}) {
      Files.copy(dir.resolve(prefix + "_model.db"), dir.resolve(prefix + "_again.db"));
    }
    Files.createFile(dir.resolve(".java-prometheus-again.lock")); // its owner ended

    MetricFamilies again = families(dir, "again");
    assertThat(dir.resolve("gauge_livesum_again.db")).as("reset at start-up").doesNotExist();
    again.gauge("busy", "h", GaugeMode.LIVESUM).noLabels().inc(1);
    again.counter("jobs", "h").noLabels().inc(1);
    TextScrape scrape = merged(dir);
    assertThat(scrape.value("java_busy")).isEqualTo(5.0 + 1.0);
    assertThat(scrape.value("java_seen{pid=\"again\"}")).as("not a live mode: continued").isEqualTo(5.0);
    assertThat(scrape.value("java_jobs_total")).isEqualTo(5.0 + 5.0 + 1.0);
  }

  @Test
  void mostRecentNeedsTheTimestampLayoutAndPicksTheNewestValue(@TempDir Path dir) throws Exception {
    MultiprocessStore old = MultiprocessStore.builder(dir).processId("p016").open();
    assertThatThrownBy(() -> old.gauge("java_last", "h", GaugeMode.MOSTRECENT, new String[0]))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.multiproc-format='0.16': gauge java_last merges by mostrecent,"
                + " which needs 0.17 (a timestamp per entry, prometheus_client 0.17 and later)");

    GaugeDataPoint first = stamped(dir, "a");
    GaugeDataPoint second = stamped(dir, "b");
    second.set(2);
    Thread.sleep(20);
    first.set(1);
    assertThat(merged(dir).value("java_last")).isEqualTo(1.0);
    Thread.sleep(20);
    second.set(5);
    assertThat(merged(dir).value("java_last")).isEqualTo(5.0);
  }

  private static GaugeDataPoint stamped(Path dir, String pid) {
    MultiprocessStore store =
        MultiprocessStore.builder(dir).processId(pid).format(FileFormat.VALUE_AND_TIMESTAMP).open();
    return MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry(), store)
        .gauge("last", "Last value set", GaugeMode.LIVEMOSTRECENT)
        .noLabels();
  }

  @Test
  void filesOfBothLayoutsMergeInOneDirectory(@TempDir Path dir) {
    families(dir, "old").counter("hits", "Hits").noLabels().inc(2);
    MultiprocessStore newer =
        MultiprocessStore.builder(dir).processId("new").format(FileFormat.VALUE_AND_TIMESTAMP).open();
    MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry(), newer)
        .counter("hits", "Hits")
        .noLabels()
        .inc(3);
    TextScrape scrape = merged(dir);
    assertThat(scrape.value("java_hits_total")).isEqualTo(5.0);
    assertThat(scrape.value("java_multiprocess_file_errors_total{reason=\"corrupt\"}")).isEqualTo(0.0);
  }

  @Test
  void truncatedCorruptAndForeignFilesAreSkippedReportedAndTheScrapeSucceeds(@TempDir Path dir)
      throws Exception {
    families(dir, "good").counter("hits", "Hits").noLabels().inc(4);
    byte[] good = Files.readAllBytes(dir.resolve("counter_good.db"));
    int used = ByteBuffer.wrap(good).order(ByteOrder.nativeOrder()).getInt(0);
    // truncated: the header promises bytes the file does not have
    Files.write(dir.resolve("counter_cut.db"), java.util.Arrays.copyOf(good, used - 5));
    Files.write(dir.resolve("histogram_tiny.db"), new byte[] {1, 2, 3});
    // corrupt: entries that do not chain, and a well-formed entry whose key is not JSON
    byte[] garbage = good.clone();
    ByteBuffer.wrap(garbage).order(ByteOrder.nativeOrder()).putInt(8, 3);
    Files.write(dir.resolve("counter_garbage.db"), garbage);
    byte[] badKey = good.clone();
    badKey[12 + 1] = '{';
    Files.write(dir.resolve("counter_badkey.db"), badKey);
    // foreign: not a name prometheus_client writes
    Files.write(dir.resolve("cache_1.db"), good);
    Files.write(dir.resolve("gauge_sometimes_1.db"), good);

    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new MultiprocessCollector(dir));
    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.value("java_hits_total")).isEqualTo(4.0);
    assertThat(scrape.samplesStartingWith("java_multiprocess_file_errors_total"))
        .containsExactlyInAnyOrder(
            "java_multiprocess_file_errors_total{reason=\"truncated\"} 2.0",
            "java_multiprocess_file_errors_total{reason=\"corrupt\"} 2.0",
            "java_multiprocess_file_errors_total{reason=\"foreign\"} 2.0",
            "java_multiprocess_file_errors_total{reason=\"unreadable\"} 0.0",
            "java_multiprocess_file_errors_total{reason=\"invalid\"} 0.0");
    // Counted again at every scrape that skips them.
    assertThat(TextScrape.of(registry).value("java_multiprocess_file_errors_total{reason=\"corrupt\"}"))
        .isEqualTo(4.0);
  }

  @Test
  void aMissingOrUnwritableDirectoryIsAClearStartUpError(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> open(missing))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "Invalid setting prometheus.multiproc-dir='" + missing
                + "': expected an existing directory writable by this process; it does not exist (create it first)");
    Path file = Files.createFile(dir.resolve("file"));
    assertThatThrownBy(() -> open(file))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("Invalid setting prometheus.multiproc-dir='" + file + "': expected a directory");

    Path readOnly = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (Files.isWritable(readOnly)) {
      readOnly = Path.of("/proc"); // root ignores permissions: a file system nobody can create files in
    }
    Path unwritable = readOnly;
    assertThatThrownBy(() -> open(unwritable))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith(
            "Invalid setting prometheus.multiproc-dir='" + unwritable
                + "': expected a directory writable by this process; creating a file in it failed: ");
    assertThatThrownBy(
            () ->
                MetricFamilies.create(
                    PrometheusSettings.builder().set("prometheus.multiproc-dir", missing.toString()).build(),
                    new PrometheusRegistry()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.multiproc-dir");
  }

  private static MultiprocessStore open(Path dir) {
    return MultiprocessStore.open(
        PrometheusSettings.builder().set("prometheus.multiproc-dir", dir.toString()).build());
  }

  @Test
  void aFileOfThisProcessIdIsContinuedAndOneInTheOtherLayoutIsMovedAside(@TempDir Path dir)
      throws Exception {
    Path path = dir.resolve("counter_7.db");
    MmapFile first = MmapFile.open(path, FileFormat.VALUE);
    Slots a = first.slots("[\"a\", \"a_total\", {}, \"h\"]");
    Slots.add(a.buffer, a.offsets[0], 5);
    first.close();

    MmapFile again = MmapFile.open(path, FileFormat.VALUE);
    Slots same = again.slots("[\"a\", \"a_total\", {}, \"h\"]");
    assertThat(same.offsets[0]).isEqualTo(a.offsets[0]);
    assertThat(Slots.get(same.buffer, same.offsets[0])).isEqualTo(5.0);
    again.slots("[\"b\", \"b_total\", {}, \"h\"]");
    again.close();
    assertThat(entries(path)).containsExactly("[\"a\", \"a_total\", {}, \"h\"] = 5.0", "[\"b\", \"b_total\", {}, \"h\"] = 0.0");

    MmapFile other = MmapFile.open(path, FileFormat.VALUE_AND_TIMESTAMP);
    other.close();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("counter_7.db.corrupt-"))
          .contains("counter_7.db");
    }
  }

  @Test
  void theDedicatedExporterServesTheMergedView(@TempDir Path dir) throws Exception {
    PrometheusSettings settings =
        PrometheusSettings.builder()
            .set("prometheus.multiproc-dir", dir.toString())
            .set("prometheus.export.port", "0")
            .set("prometheus.export.address", "127.0.0.1")
            .build();
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies.create(settings, registry).counter("exported", "Exported").noLabels().inc();
    families(dir, "exporter-peer").counter("exported", "Exported").noLabels().inc(41);
    MetricsExporter.stopRunning();
    try (MetricsExporter exporter = MetricsExporter.start(settings, registry).orElseThrow()) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(TextScrape.parse(response.body()).value("java_exported_total")).isEqualTo(42.0);
    } finally {
      MetricsExporter.stopRunning();
    }
  }

  @Test
  void boundedFamiliesOverflowIntoTheFilesToo(@TempDir Path dir) {
    MultiprocessStore store = MultiprocessStore.builder(dir).processId("b").open();
    MetricFamilies f =
        MetricFamilies.create(
            PrometheusSettings.builder().set("prometheus.max-label-values", "2").build(),
            new PrometheusRegistry(),
            store);
    BoundedFamily<CounterDataPoint> views = f.counter("views", "Views", "view");
    for (int i = 0; i < 5; i++) {
      views.label("v" + i).inc();
    }
    DistributionDataPoint h = f.histogram("sizes", "Sizes", new double[] {1, 10}).noLabels();
    h.observe(5);
    assertThat(h.getCount()).isEqualTo(1);
    assertThat(h.getSum()).isEqualTo(5.0);
    TextScrape scrape = merged(dir);
    assertThat(scrape.value("java_views_total{view=\"other\"}")).isEqualTo(3.0);
    assertThat(scrape.value("java_label_overflow_total{family=\"java_views\"}")).isEqualTo(3.0);
    assertThat(scrape.value("java_sizes_bucket{le=\"10.0\"}")).isEqualTo(1.0);
  }
}
