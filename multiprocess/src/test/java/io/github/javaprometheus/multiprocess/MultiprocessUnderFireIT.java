package io.github.javaprometheus.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/reliability.md, "Multiprocess under fire": writer JVMs ({@link WriterMain} {@code fire})
 * killed with {@code kill -9} and restarted with the same {@code prometheus.multiproc-process-id}
 * (a reused pid), while the others keep writing. Everything is bounded by deadlines.
 */
class MultiprocessUnderFireIT {
  private static final int WRITERS = 4;
  private static final int THREADS = 2;
  private static final long LOOP_MILLIS = 20_000;
  private static final int MAX_KILLS = 8;
  private static FileFormat layout;

  @BeforeAll
  static void pythonClientIsInstalled() throws Exception {
    layout = Python.layout();
  }

  @Test
  void fourWritersKilledAndRestartedInTurnLoseNoAcknowledgedIncrementAndShowOnlyLiveGauges(
      @TempDir Path dir) throws Exception {
    long started = System.nanoTime();
    Map<String, Writer> live = new TreeMap<>();
    Map<String, Long> ackedByEnded = new TreeMap<>(); // per id: acknowledged by incarnations that ended
    Map<String, Long> unacknowledged = new TreeMap<>(); // per id: in the file, not acknowledged, at kills
    Map<String, Integer> incarnation = new TreeMap<>();
    for (int w = 0; w < WRITERS; w++) {
      String id = "w" + w;
      incarnation.put(id, 0);
      ackedByEnded.put(id, 0L);
      unacknowledged.put(id, 0L);
      live.put(id, new Writer(dir, id, 0));
    }
    for (Writer w : live.values()) {
      w.awaitReady();
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new MultiprocessCollector(dir, layout, "java_multiprocess_file_errors"));

    int kills = 0;
    int scrapes = 0;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOP_MILLIS);
    while (kills < MAX_KILLS && System.nanoTime() < deadline) {
      // 2 to 3 s of load, scraped every 200 ms: every live writer's gauges, exactly, and counters
      // holding at least what was acknowledged when the scrape began.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000 + 500L * (kills % 3));
      while (System.nanoTime() < until) {
        Map<String, Long> floor = new TreeMap<>();
        for (Writer w : live.values()) {
          floor.put(w.id, ackedByEnded.get(w.id) + unacknowledged.get(w.id) + w.acknowledged());
        }
        TextScrape scrape = TextScrape.of(registry);
        scrapes++;
        assertLiveGauges(scrape, live);
        for (Map.Entry<String, Long> e : floor.entrySet()) {
          assertThat(scrape.valueOrZero(fired(e.getKey())))
              .as("merged %s while it writes", e.getKey())
              .isGreaterThanOrEqualTo(e.getValue());
        }
        assertThat(errors(scrape)).isZero();
        Thread.sleep(200);
      }

      String victim = "w" + (kills % WRITERS);
      Writer dead = live.remove(victim);
      dead.kill();
      ackedByEnded.merge(victim, dead.acknowledged(), Long::sum);
      double merged;
      if (kills % 2 == 0) {
        // The merging side finds out: the dead writer's lock is free.
        TextScrape scrape = TextScrape.of(registry);
        scrapes++;
        assertLiveGauges(scrape, live);
        assertThat(dir.resolve("gauge_livesum_" + victim + ".db")).as("removed by the merge").doesNotExist();
        assertThat(dir.resolve("gauge_liveall_" + victim + ".db")).doesNotExist();
        merged = scrape.value(fired(victim));
      } else {
        // No merge before the restart: the new owner of the id must reset the live files itself.
        assertThat(dir.resolve("gauge_livesum_" + victim + ".db")).exists();
        merged = counterInFile(dir.resolve("counter_" + victim + ".db"));
      }
      long inFlight = (long) merged - ackedByEnded.get(victim) - unacknowledged.get(victim);
      assertThat(inFlight)
          .as("increments of %s in the file but not acknowledged at the kill", victim)
          .isBetween(0L, (long) THREADS);
      unacknowledged.merge(victim, inFlight, Long::sum);

      int next = incarnation.merge(victim, 1, Integer::sum);
      Writer restarted = new Writer(dir, victim, next);
      restarted.awaitReady();
      live.put(victim, restarted);
      TextScrape scrape = TextScrape.of(registry);
      scrapes++;
      assertLiveGauges(scrape, live); // fire_up is 4, not 5: the dead incarnation's 1 is gone
      kills++;
    }
    assertThat(kills).as("kills within %d ms", LOOP_MILLIS).isGreaterThanOrEqualTo(4);

    // Python reads the same live gauges while all four run.
    List<String> pythonLive = Python.lines(Python.ok(dir, "samples.py"));
    assertThat(pythonLive).contains("java_fire_up{} " + PythonText.repr(WRITERS));
    for (Writer w : live.values()) {
      assertThat(pythonLive)
          .contains("java_fire_incarnation{pid=\"" + w.id + "\"} " + PythonText.repr(w.incarnation));
    }

    for (Writer w : live.values()) {
      w.stop();
    }
    long acknowledged = 0;
    long inFlight = 0;
    TextScrape end = TextScrape.of(registry);
    for (Writer w : live.values()) {
      long acked = ackedByEnded.get(w.id) + w.acknowledged();
      acknowledged += acked;
      inFlight += unacknowledged.get(w.id);
      // Exact: what every incarnation acknowledged, plus what was in flight at each kill (measured
      // right after that kill, before the restart continued the file).
      assertThat(end.value(fired(w.id))).as("merged %s", w.id).isEqualTo((double) (acked + unacknowledged.get(w.id)));
    }
    // All four have now ended: their live gauges are gone, counters stay.
    assertThat(end.samplesStartingWith("java_fire_up")).isEmpty();
    assertThat(end.samplesStartingWith("java_fire_incarnation")).isEmpty();
    assertThat(errors(end)).isZero();
    List<String> python = Python.lines(Python.ok(dir, "samples.py"));
    for (Writer w : live.values()) {
      assertThat(python)
          .contains("java_fired_total{writer=\"" + w.id + "\"} " + PythonText.repr(end.value(fired(w.id))));
    }
    assertThat(python).noneMatch(l -> l.startsWith("java_fire_up") || l.startsWith("java_fire_incarnation"));
    System.out.printf(
        "multiprocess under fire: %d writers x %d threads, %d kill -9 and restarts in %.1f s, %d scrapes;"
            + " %d increments acknowledged, all merged; %d more in flight at the kills (counted, 0..%d per kill)%n",
        WRITERS, THREADS, kills, (System.nanoTime() - started) / 1e9, scrapes, acknowledged, inFlight, THREADS);
  }

  @Test
  void anEndedWritersLiveGaugesAreRemovedWhenTheNextProcessStartsWithoutAnyMerge(@TempDir Path dir)
      throws Exception {
    Writer a = new Writer(dir, "a", 7);
    a.awaitReady();
    a.kill();
    assertThat(dir.resolve("gauge_livesum_a.db")).exists();
    Writer b = new Writer(dir, "b", 1);
    b.awaitReady();
    assertThat(dir.resolve("gauge_livesum_a.db")).as("swept at b's start-up").doesNotExist();
    assertThat(dir.resolve("gauge_liveall_a.db")).doesNotExist();
    assertThat(dir.resolve("counter_a.db")).as("counters stay").exists();
    assertThat(dir.resolve("gauge_livesum_b.db")).exists();
    b.stop();
  }

  @Test
  void aSecondLiveProcessWithTheSameIdFailsStartUpNamingTheSetting(@TempDir Path dir) throws Exception {
    Writer first = new Writer(dir, "web-1", 1);
    first.awaitReady();
    Process second = writer(dir, "web-1", 2).start();
    second.getOutputStream().close();
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("second writer exits within 30 s").isTrue();
    String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(second.exitValue()).isNotZero();
    assertThat(err)
        .contains("Invalid setting prometheus.multiproc-process-id='web-1'")
        .contains("in use by another live process");
    // The first one was not disturbed: its live gauges are still merged.
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new MultiprocessCollector(dir, layout, "java_multiprocess_file_errors"));
    assertThat(TextScrape.of(registry).value("java_fire_up")).isEqualTo(1.0);
    first.stop();
  }

  private static void assertLiveGauges(TextScrape scrape, Map<String, Writer> live) {
    List<String> expected = new ArrayList<>();
    for (Writer w : live.values()) {
      expected.add("java_fire_incarnation{pid=\"" + w.id + "\"} " + (double) w.incarnation);
    }
    assertThat(scrape.samplesStartingWith("java_fire_incarnation")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(scrape.value("java_fire_up")).as("live-sum of the live writers' 1s").isEqualTo((double) live.size());
  }

  private static String fired(String id) {
    return "java_fired_total{writer=\"" + id + "\"}";
  }

  /** The counter as the file holds it, read without a merge (which would remove live files). */
  private static double counterInFile(Path file) {
    DbFile.Contents c = DbFile.read(file, layout, null);
    assertThat(c.error()).as(c.message()).isNull();
    double[] sum = {0};
    c.forEach(
        (data, offset, length, value, timestamp) -> {
          byte[] key = new byte[length];
          data.get(offset, key);
          if (new String(key, StandardCharsets.UTF_8).startsWith("[\"java_fired\", \"java_fired_total\"")) {
            sum[0] += value;
          }
        });
    return sum[0];
  }

  private static double errors(TextScrape scrape) {
    double sum = 0;
    for (String line : scrape.samplesStartingWith("java_multiprocess_file_errors_total")) {
      sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  private static ProcessBuilder writer(Path dir, String id, int incarnation) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dlayout=" + layout.setting());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WriterMain.class.getName());
    command.add("fire");
    command.add(dir.toString());
    command.add(Integer.toString(THREADS));
    command.add(id);
    command.add(Integer.toString(incarnation));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("PROMETHEUS_MULTIPROC_DIR");
    pb.environment().remove("PROMETHEUS_MULTIPROC_PROCESS_ID");
    return pb;
  }

  /** One incarnation of a writer: its process and the acknowledgements it printed. */
  private static final class Writer {
    final String id;
    final int incarnation;
    final Process process;
    final Map<String, Long> acks = new ConcurrentHashMap<>();
    final CountDownLatch ready = new CountDownLatch(1);
    final CountDownLatch eof = new CountDownLatch(1);
    volatile boolean done;
    final Thread reader;
    final StringBuilder errors = new StringBuilder();

    Writer(Path dir, String id, int incarnation) throws IOException {
      this.id = id;
      this.incarnation = incarnation;
      this.process = writer(dir, id, incarnation).redirectError(ProcessBuilder.Redirect.PIPE).start();
      Thread err =
          new Thread(
              () -> {
                try {
                  String text = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                  synchronized (errors) {
                    errors.append(text);
                  }
                } catch (IOException e) {
                  // the pipe closes with the process
                }
              });
      err.setDaemon(true);
      err.start();
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    if (line.equals("ready")) {
                      ready.countDown();
                    } else if (line.equals("done")) {
                      done = true;
                    } else {
                      int space = line.indexOf(' ');
                      // Each line is one write of a few bytes to a pipe: whole or absent.
                      acks.merge(line.substring(0, space), Long.parseLong(line.substring(space + 1)), Math::max);
                    }
                  }
                } catch (IOException e) {
                  // the pipe closes with the process
                } finally {
                  eof.countDown();
                }
              },
              "acks-" + id + "-" + incarnation);
      reader.setDaemon(true);
      reader.start();
    }

    void awaitReady() throws InterruptedException {
      if (!ready.await(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("writer " + id + " not ready within 30 s: " + stderr());
      }
    }

    /** The acknowledged increments: per thread, the highest count printed. */
    long acknowledged() {
      long sum = 0;
      for (long n : acks.values()) {
        sum += n;
      }
      return sum;
    }

    void kill() throws Exception {
      Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -9 returned within 10 s").isTrue();
      assertThat(kill.exitValue()).isZero();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s ended within 30 s of kill -9", id).isTrue();
      assertThat(process.exitValue()).isEqualTo(128 + 9);
      // Every line written before the kill is still in the pipe: read it to the end.
      assertThat(eof.await(30, TimeUnit.SECONDS)).as("acknowledgements of %s read", id).isTrue();
    }

    void stop() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("writer " + id + " did not stop within 30 s");
      }
      assertThat(eof.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(stderr()).isZero();
      assertThat(done).as("%s printed done", id).isTrue();
    }

    String stderr() {
      synchronized (errors) {
        return errors.toString();
      }
    }

    @Override
    public String toString() {
      return id + "#" + incarnation;
    }
  }
}
