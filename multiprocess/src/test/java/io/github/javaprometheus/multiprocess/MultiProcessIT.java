package io.github.javaprometheus.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real writer processes: separate JVMs started with the test classpath ({@link WriterMain}). */
class MultiProcessIT {

  private static FileFormat layout;

  @BeforeAll
  static void pythonClientIsInstalled() throws Exception {
    layout = Python.layout(); // the writers write what the installed Python reads
  }

  @Test
  void fourJvmsTimesEightThreadsMergeToExactTotals(@TempDir Path dir) throws Exception {
    int jvms = 4;
    int threads = 8;
    long perThread = 100_000;
    List<Process> writers = new ArrayList<>();
    for (int i = 0; i < jvms; i++) {
      writers.add(writer(dir, "count", String.valueOf(threads), String.valueOf(perThread)).start());
    }
    // Scrape while they write: values only grow and no file is ever reported as broken.
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new MultiprocessCollector(dir));
    double last = 0;
    while (writers.stream().anyMatch(Process::isAlive)) {
      TextScrape scrape = TextScrape.of(registry);
      double now = scrape.valueOrZero("java_work_total");
      assertThat(now).isGreaterThanOrEqualTo(last);
      last = now;
      assertThat(errors(scrape)).isZero();
      Thread.sleep(20);
    }
    for (Process p : writers) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
      assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("done");
    }

    double total = (double) jvms * threads * perThread;
    TextScrape scrape = TextScrape.of(registry);
    assertThat(scrape.value("java_work_total")).isEqualTo(total);
    assertThat(scrape.value("java_work_size_count")).isEqualTo(total);
    // i % 4 in 0..3 gives 0, 0.5, 1, 1.5: a quarter each, sum 0.75 per observation
    assertThat(scrape.value("java_work_size_sum")).isEqualTo(total * 0.75);
    assertThat(scrape.value("java_work_size_bucket{le=\"0.25\"}")).isEqualTo(total / 4);
    assertThat(scrape.value("java_work_size_bucket{le=\"1.0\"}")).isEqualTo(total * 3 / 4);
    for (int t = 0; t < threads; t++) {
      assertThat(scrape.value("java_work_by_thread_total{thread=\"t" + t + "\"}"))
          .isEqualTo((double) jvms * perThread);
    }
    // A live-sum gauge counts live processes only: all four have exited, so it has no series left.
    assertThat(scrape.samplesStartingWith("java_work_inflight")).isEmpty();
    assertThat(dir.resolve("gauge_livesum_" + writers.get(0).pid() + ".db")).doesNotExist();
    assertThat(errors(scrape)).isZero();
    // Python reads the four processes' files to the same totals.
    assertThat(Python.lines(Python.ok(dir, "samples.py")))
        .contains("java_work_total{} " + PythonText.repr(total))
        .contains("java_work_size_sum{} " + PythonText.repr(total * 0.75));
  }

  @Test
  void aWriterKilledWithSigkillLosesNoAcknowledgedIncrement(@TempDir Path dir) throws Exception {
    int threads = 4;
    Process p = writer(dir, "ack", String.valueOf(threads)).start();
    ConcurrentHashMap<String, Long> acked = new ConcurrentHashMap<>();
    AtomicLong lines = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  String[] parts = line.split(" ");
                  if (parts.length == 2 && !parts[1].isEmpty()) {
                    acked.merge(parts[0], Long.parseLong(parts[1]), Math::max);
                    lines.incrementAndGet();
                  }
                }
              } catch (Exception e) {
                // the pipe closes when the process dies
              }
            });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lines.get() < 50_000 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(lines.get()).as("acknowledgements before the kill").isGreaterThanOrEqualTo(50_000);
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -9 returned within 10 s").isTrue();
    assertThat(kill.exitValue()).isZero();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(128 + 9);
    reader.join(30_000); // every line written before the kill is still in the pipe: drain it

    long acknowledged = acked.values().stream().mapToLong(Long::longValue).sum();
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new MultiprocessCollector(dir));
    TextScrape scrape = TextScrape.of(registry);
    double merged = scrape.value("java_acked_total");
    // Every acknowledged increment is in the file; at most one per thread was not acknowledged yet.
    assertThat(merged).isGreaterThanOrEqualTo(acknowledged).isLessThanOrEqualTo(acknowledged + threads);
    assertThat(errors(scrape)).isZero();
    assertThat(Python.lines(Python.ok(dir, "samples.py")))
        .contains("java_acked_total{} " + PythonText.repr(merged));
  }

  private static double errors(TextScrape scrape) {
    double sum = 0;
    for (String line : scrape.samplesStartingWith("java_multiprocess_file_errors_total")) {
      sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  private static ProcessBuilder writer(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-Dlayout=" + layout.setting());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WriterMain.class.getName());
    command.add(args[0]);
    command.add(dir.toString());
    for (int i = 1; i < args.length; i++) {
      command.add(args[i]);
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("PROMETHEUS_MULTIPROC_DIR");
    return pb;
  }
}
