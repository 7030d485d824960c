package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.TextScrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged demo under a fixed request rate for a bounded time, its resources sampled at fixed
 * intervals: resident memory ({@code VmRSS}), used heap after a full GC ({@code jcmd GC.run}, then
 * {@code GC.heap_info}), threads and open file descriptors (from {@code /proc/<pid>}), and the
 * number of the library's series on the exporter. None may grow past the first sample after the
 * warm-up by more than its tolerance (see {@link #TOLERANCES}).
 *
 * <p>{@code -Dsoak.seconds} (default 75, the CI run), {@code -Dsoak.interval} (15 s), {@code
 * -Dsoak.rate} (200 requests/s); the 10-minute run in docs/reliability.md is {@code
 * -Dsoak.seconds=600 -Dsoak.interval=60}.
 *
 * <p>The demo runs with {@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}: every heap page is touched
 * at start-up, so RSS does not rise while the collector first walks the heap's regions, and what
 * is left to move it is native memory (threads, metaspace, code cache, buffers, malloc), the
 * place a leak would show; the heap itself is measured after a full GC.
 */
class SoakIT {
  private static final int SECONDS = Integer.getInteger("soak.seconds", 75);
  private static final int INTERVAL = Integer.getInteger("soak.interval", 15);
  private static final int RATE = Integer.getInteger("soak.rate", 200);
  private static final int THREADS = 4;
  private static final String HEAP = "256m";
  private static final int EXPORTER_THREADS = 10;

  /** A sample of the process; sizes in KiB. */
  record Sample(
      long second, long rssKib, long heapKib, long threads, long fds, long series) {}

  /**
   * What "grows" means: a sample after the baseline (the first one after a full interval of load,
   * when Spring, Hibernate, Hikari and the JIT have made what they make once) above the baseline
   * by more than this.
   *
   * <ul>
   *   <li>RSS 32 MiB: with the heap pre-touched, the rest is the JIT's code cache (it keeps
   *       compiling hot paths for minutes: up to ~20 MiB in this app), metaspace and malloc arenas;
   *       a leak of one 16 KiB buffer or one thread per second passes it within a minute or two.
   *   <li>Heap after GC 8 MiB: the live set is ~40 MiB; Hibernate's and Spring's caches settle
   *       in the first minute, the SQLite page cache is bounded (2 MiB). A leak of 100 B per request
   *       passes 8 MiB after 84 000 requests (7 minutes at 200/s), so the CI run catches leaks of
   *       1 KiB per request and more, the 10-minute run ~150 B.
   *   <li>Threads 4: the JVM starts and stops compiler threads on demand, Hikari its
   *       connection-adder; Tomcat's pool keeps its 10 core threads for 4 client connections, the
   *       exporter's its 10 (made before the load, see below).
   *   <li>File descriptors 4: the client's keep-alive connections (4, re-opened by HttpClient when
   *       idle ones expire) and the exporter's connection per scrape come and go.
   *   <li>Series 0: every label set the load makes appears in the first interval; one more later
   *       would be a label leak.
   * </ul>
   */
  static final long[] TOLERANCES = {32 * 1024, 8 * 1024, 4, 4, 0};

  // JDKs print "total 262144K, used 43979K" or "total reserved …, committed …, used 43979K".
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total [^\\n]*?used (\\d+)K");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void rssHeapThreadsFileDescriptorsAndSeriesStayFlatUnderAFixedRate(@TempDir Path dir)
      throws Exception {
    assertThat(SECONDS).isGreaterThanOrEqualTo(2 * INTERVAL);
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    assertThat(jcmd).as("jcmd of the JDK running the tests").isExecutable();
    Path jar = Path.of(System.getProperty("demo.jar", "target/java-prometheus-demo.jar"));
    assertThat(jar).exists();
    int appPort = FreePorts.next();
    int exporterPort = FreePorts.next();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (ServerProcess demo =
        ServerProcess.command(
                java, "-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch",
                "-jar", jar.toString(), "--server.port=" + appPort)
            .directory(dir)
            .environment("PROMETHEUS_METRICS_EXPORT_PORT", String.valueOf(exporterPort))
            .readyWhen(Probe.tcp("127.0.0.1", appPort))
            .startTimeout(Duration.ofSeconds(90))
            .start()) {
      long pid = demo.pid();
      // client_java's HTTPServer runs scrapes on a pool of 10 core threads (1.10; 120 s keep-alive
      // but core threads never time out) and makes a new one for each scrape until there are 10:
      // bounded, and there within 2.5 minutes of 15 s scrapes. Made now, so the baseline has them
      // (a first 10-minute run without this rose by one thread per sample, to +8, then stopped).
      for (int i = 0; i < EXPORTER_THREADS; i++) {
        DemoJar.scrape(exporterPort);
      }
      AtomicLong sent = new AtomicLong();
      AtomicLong late = new AtomicLong();
      List<String> wrong = Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Sample> samples = new ArrayList<>();
      try {
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          load.add(
              pool.submit(
                  () -> {
                    drive(appPort, thread, start, end, sent, late, wrong);
                    return null;
                  }));
        }
        // A sample at the start of the load and one after each interval, the last at the end.
        for (long second = 0; second <= SECONDS; second += INTERVAL) {
          long at = start + TimeUnit.SECONDS.toNanos(second);
          LockSupport.parkNanos(Math.max(0, at - System.nanoTime()));
          samples.add(sample(second, pid, jcmd, exporterPort));
          System.out.println("soak: " + samples.get(samples.size() - 1));
        }
        for (Future<?> f : load) {
          f.get(60, TimeUnit.SECONDS); // they stop at `end`; a request has a 30 s timeout
        }
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }

      assertThat(wrong).as("answers other than the app's, or failed requests").isEmpty();
      // Nothing lost: every request the app answered is counted once by the before filter.
      TextScrape scrape = DemoJar.awaitResponses(exporterPort, "java", sent.get());
      assertThat(scrape.value("java_http_requests_before_middlewares_total"))
          .isEqualTo((double) sent.get());
      assertThat(scrape.value("java_http_responses_before_middlewares_total"))
          .isEqualTo((double) sent.get());

      Sample baseline = samples.get(1);
      List<String> grown = new ArrayList<>();
      for (Sample s : samples.subList(2, samples.size())) {
        long[] now = values(s);
        long[] base = values(baseline);
        String[] names = {"RSS KiB", "heap after GC KiB", "threads", "fds", "series"};
        for (int i = 0; i < now.length; i++) {
          if (now[i] > base[i] + TOLERANCES[i]) {
            grown.add(names[i] + " at " + s.second() + " s: " + now[i] + " > " + base[i] + " + "
                + TOLERANCES[i]);
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "soak: %d requests in %d s (%d/s target, %.1f/s achieved, %d sent more than 1 s late)%n",
          sent.get(), SECONDS, RATE, sent.get() / (double) SECONDS, late.get());
      assertThat(grown).as("samples past the baseline by more than the tolerance").isEmpty();
    }
  }

  private static long[] values(Sample s) {
    return new long[] {s.rssKib(), s.heapKib(), s.threads(), s.fds(), s.series()};
  }

  /**
   * One client thread: its share of the rate, each request at its own time (start + k periods),
   * never more than one at once. A request sent more than a second after its time is counted late
   * (reported; the rate is open-loop only as far as the app keeps up).
   */
  private static void drive(
      int port, int thread, long start, long end, AtomicLong sent, AtomicLong late,
      List<String> wrong) {
    SplittableRandom r = new SplittableRandom(thread * 7919L + 14);
    long period = TimeUnit.SECONDS.toNanos(1) / RATE;
    for (long k = thread; ; k += THREADS) {
      long at = start + k * period;
      if (at >= end) {
        return;
      }
      long wait = at - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
        late.incrementAndGet();
      }
      String path;
      int status;
      String body;
      int p = r.nextInt(100);
      if (p < 35) {
        path = "/myview/";
        status = 200;
        body = "hello";
      } else if (p < 50) {
        path = "/myview2/";
        status = 200;
        body = "hello";
      } else if (p < 70) {
        path = "/myview3/";
        status = 200;
        body = "zhangsan";
      } else if (p < 75) {
        path = "/boom/";
        status = 500;
        body = null;
      } else if (p < 85) {
        path = "/nope/" + Long.toHexString(r.nextLong());
        status = 404;
        body = null;
      } else if (p < 95) {
        path = "/users/" + Long.toHexString(r.nextLong()) + "/";
        status = 404;
        body = null;
      } else {
        path = "/metrics";
        status = 200;
        body = null;
      }
      try {
        HttpResponse<String> response =
            CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        sent.incrementAndGet();
        if (response.statusCode() != status || (body != null && !body.equals(response.body()))) {
          if (wrong.size() < 20) {
            wrong.add(path + " answered " + response.statusCode() + ": " + response.body());
          }
        }
      } catch (IOException e) {
        if (wrong.size() < 20) {
          wrong.add(path + " failed: " + e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Sample sample(long second, long pid, Path jcmd, int exporterPort)
      throws IOException, InterruptedException {
    Processes.run(Duration.ofSeconds(60), jcmd.toString(), String.valueOf(pid), "GC.run")
        .requireSuccess();
    String heapInfo =
        Processes.run(Duration.ofSeconds(60), jcmd.toString(), String.valueOf(pid), "GC.heap_info")
            .requireSuccess()
            .output();
    Matcher m = HEAP_USED.matcher(heapInfo);
    assertThat(m.find()).as("used heap in:%n%s", heapInfo).isTrue();
    long heap = Long.parseLong(m.group(1));
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    long fds;
    try (Stream<Path> open = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = open.count();
    }
    if (Boolean.getBoolean("soak.thread-names")) {
      // Diagnostics: the process's threads by name, digits folded (how the figures were checked).
      String dump =
          Processes.run(Duration.ofSeconds(60), jcmd.toString(), String.valueOf(pid), "Thread.print")
              .requireSuccess()
              .output();
      java.util.Map<String, Integer> names = new java.util.TreeMap<>();
      for (String line : dump.split("\n")) {
        if (line.startsWith("\"")) {
          names.merge(line.substring(1, line.indexOf('"', 1)).replaceAll("[0-9]+", "N"), 1, Integer::sum);
        }
      }
      System.out.println("soak: threads at " + second + " s: " + names);
    }
    long series =
        DemoJar.scrape(exporterPort).samples().stream().filter(l -> l.startsWith("java_")).count();
    return new Sample(
        second, statusField(status, "VmRSS"), heap, statusField(status, "Threads"), fds, series);
  }

  /** A numeric field of /proc/<pid>/status ({@code VmRSS:   123456 kB}, {@code Threads:  42}). */
  private static long statusField(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new AssertionError("no " + field + " in /proc status:\n" + status);
  }
}
