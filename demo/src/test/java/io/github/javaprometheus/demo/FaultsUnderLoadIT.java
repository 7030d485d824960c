package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.cache.RedisServer;
import io.github.javaprometheus.demo.CountingWrk.Request;
import io.github.javaprometheus.demofaults.ReadThroughView;
import io.github.javaprometheus.jdbc.testing.PostgresServer;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.TextScrape;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on a real PostgreSQL and a real Redis (settings only) under wrk at 8 connections,
 * PostgreSQL killed, then Redis, then both restarted mid-run; the same schedule run twice, with
 * the library on and with {@code prometheus.enabled=false}. The app must answer exactly as it does
 * without the library in every phase, the library must count what the faults did, and no counter
 * may go down. Figures of a run are in docs/reliability.md ("Fault injection under load").
 */
class FaultsUnderLoadIT {
  private static final String P = "java";
  private static final String VIEW = "io.github.javaprometheus.demo.DemoController.";
  private static final String READS_VIEW = ReadThroughView.class.getName() + ".read";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  // The cycle every wrk connection sends, index = position.
  private static final int MYVIEW = 0; // neither database nor cache
  private static final int MYVIEW2 = 1; // a JPA insert into PostgreSQL
  private static final int MYVIEW3 = 2; // Redis put, then get
  private static final int READS = 3; // Redis get, then put on a miss (ReadThroughView)
  private static final List<Request> REQUESTS =
      List.of(
          Request.get("/myview/"),
          Request.get("/myview2/"),
          Request.get("/myview3/"),
          Request.get("/reads/"));
  private static final String[] VIEWS = {
    VIEW + "myView", VIEW + "myView2", VIEW + "myView3", READS_VIEW
  };

  // The schedule, from wrk's start.
  private static final Duration RUN = Duration.ofSeconds(30);
  private static final Duration KILL_POSTGRES = Duration.ofSeconds(5);
  private static final Duration KILL_REDIS = Duration.ofSeconds(10);
  private static final Duration RESTART_BOTH = Duration.ofSeconds(15);
  // After a kill, responses to requests that were already past the failing call may still come
  // back 200 for a moment; the steady part of a phase starts this much later.
  private static final long SETTLE_MS = 1_000;
  // Lettuce reconnects with exponential back-off (1 ms doubling: attempts 4.1 s and 8.2 s after
  // the disconnect), so with Redis down 5 s it is back at most ~3.5 s after the restart; Hikari
  // refills within a second. The recovered phase is checked from this long after the restart.
  private static final long RECOVERY_MS = 6_000;
  private static final long SLOT_MS = 100;

  /** When each event happened (wall-clock ms) and what the exporter showed just before it. */
  private record Schedule(
      long start,
      long killPostgres,
      long killRedis,
      long restartBegin,
      long restartDone,
      long end,
      Map<String, TextScrape> before) {}

  /** A scrape of the exporter and when it was taken (wall-clock ms). */
  private record Timed(long at, TextScrape scrape) {}

  /**
   * One run: wrk's counts, the schedule as it happened, the scrapes taken every 250 ms, and the
   * scrapes before wrk started and after every request ended (null with the library off).
   */
  private record Run(
      CountingWrk.Result wrk,
      Schedule schedule,
      List<Timed> scrapes,
      TextScrape atStart,
      TextScrape atEnd) {}

  @Test
  void answersAsWithoutTheLibraryAndCountsWhatPostgresqlAndRedisFaultsDid(@TempDir Path dir)
      throws Exception {
    try (PostgresServer postgres = PostgresServer.start();
        RedisServer redis = RedisServer.started()) {
      PostgresCrash crash = new PostgresCrash(postgres);
      Run off = run(dir.resolve("off"), postgres, crash, redis, false);
      Run on = run(dir.resolve("on"), postgres, crash, redis, true);
      System.out.println("prometheus.enabled=false\n" + timeline(off));
      System.out.println("prometheus.enabled=true\n" + timeline(on));
      on.schedule.before.forEach(
          (event, scrape) -> System.out.println("before " + event + ":\n" + faultSamples(scrape)));
      System.out.println("after the run:\n" + faultSamples(on.atEnd));

      for (Run r : List.of(off, on)) {
        // Every request got an HTTP answer: no connect/read/write error, no wrk timeout.
        assertThat(r.wrk.socketErrors()).as(r.wrk.output()).isZero();
        // The only statuses are the app's 200 and 500; /myview/, which touches neither server,
        // answers 200 through every phase, transitions included.
        for (int k = 0; k < REQUESTS.size(); k++) {
          assertThat(r.wrk.statuses(k, 0, Long.MAX_VALUE).keySet())
              .as("statuses of " + REQUESTS.get(k)).isSubsetOf(200, 500);
        }
        assertThat(r.wrk.statuses(MYVIEW, 0, Long.MAX_VALUE).keySet()).containsExactly(200);
      }
      // Each steady phase: every request answers one status, the same in both runs. Counts differ
      // between runs (the throughput does), so the statuses are compared, not their numbers.
      Map<String, List<Integer>> expected = new LinkedHashMap<>();
      expected.put("before the faults", List.of(200, 200, 200, 200));
      expected.put("PostgreSQL down", List.of(200, 500, 200, 200));
      expected.put("PostgreSQL and Redis down", List.of(200, 500, 500, 500));
      expected.put("both restarted", List.of(200, 200, 200, 200));
      for (Run r : List.of(off, on)) {
        Map<String, long[]> phases = steadyPhases(r.schedule);
        for (Map.Entry<String, long[]> phase : phases.entrySet()) {
          for (int k = 0; k < REQUESTS.size(); k++) {
            Map<Integer, Long> statuses = r.wrk.statuses(k, phase.getValue()[0], phase.getValue()[1]);
            assertThat(statuses.keySet())
                .as(REQUESTS.get(k) + " while " + phase.getKey() + "\n" + timeline(r))
                .containsExactly(expected.get(phase.getKey()).get(k));
          }
        }
      }

      assertTheLibraryCountedTheFaults(on);
      assertCountersNeverDecreased(on.scrapes);
    }
  }

  private static void assertTheLibraryCountedTheFaults(Run on) {
    Schedule s = on.schedule;
    String pg = "{alias=\"default\",vendor=\"postgresql\"}";
    String reads = "{backend=\"redis\",cache=\"reads\"}";
    String dflt = "{backend=\"redis\",cache=\"default\"}";
    TextScrape beforePg = s.before.get("kill PostgreSQL");
    TextScrape beforeRedis = s.before.get("kill Redis");
    TextScrape beforeRestart = s.before.get("restart");
    // Nothing failed before the first fault.
    assertThat(dbErrors(beforePg)).isZero();
    assertThat(beforePg.value(P + "_db_new_connection_errors_total" + pg)).isZero();
    assertThat(beforePg.value(P + "_cache_get_fail_total" + dflt)).isZero();
    assertThat(beforePg.value(P + "_cache_get_fail_total" + reads)).isZero();
    // PostgreSQL down: statements on the pooled connections failed, reconnections were refused;
    // the cache saw nothing yet.
    assertThat(dbErrors(beforeRedis)).isPositive();
    assertThat(beforeRedis.value(P + "_db_new_connection_errors_total" + pg)).isPositive();
    assertThat(beforeRedis.value(P + "_cache_get_fail_total" + dflt)).isZero();
    assertThat(beforeRedis.value(P + "_cache_get_fail_total" + reads)).isZero();
    // Redis down too: ReadThroughView's gets failed.
    assertThat(beforeRestart.value(P + "_cache_get_fail_total" + reads)).isPositive();

    // Once both are back and the app recovered, no failure is counted any more.
    TextScrape recovered = firstScrapeAfter(on.scrapes, s.restartDone + RECOVERY_MS);
    TextScrape end = on.atEnd;
    for (String series :
        List.of(
            P + "_db_new_connection_errors_total" + pg,
            P + "_cache_get_fail_total" + dflt,
            P + "_cache_get_fail_total" + reads)) {
      assertThat(end.value(series)).as(series).isEqualTo(recovered.value(series));
    }
    assertThat(dbErrors(end)).isEqualTo(dbErrors(recovered));

    // What the app answered, from its own counters (wrk's are checked against them below).
    double[] ok = new double[VIEWS.length];
    double[] failed = new double[VIEWS.length];
    for (int k = 0; k < VIEWS.length; k++) {
      ok[k] = delta(on, responses(200, VIEWS[k]));
      failed[k] = delta(on, responses(500, VIEWS[k]));
    }
    // ReadThroughView gets first: each of its 500s is exactly one failed get, each 200 one get
    // that was a hit or a miss.
    assertThat(end.value(P + "_cache_get_fail_total" + reads)).isEqualTo(failed[READS]);
    assertThat(end.value(P + "_cache_get_hits_total" + reads)
            + end.value(P + "_cache_get_misses_total" + reads))
        .isEqualTo(ok[READS]);
    // myview3 puts, then gets: each 200 is one get that answered (a hit, or a miss when the get
    // overtook the put), and a 500 failed at the put (no get) or at the get, so its failed gets
    // are at most its 500s (all of them, in the runs here: the puts did not fail first).
    assertThat(end.value(P + "_cache_get_hits_total" + dflt)
            + end.value(P + "_cache_get_misses_total" + dflt))
        .isEqualTo(ok[MYVIEW3]);
    assertThat(end.value(P + "_cache_get_fail_total" + dflt)).isBetween(0.0, failed[MYVIEW3]);
    // A failed statement fails its request (one INSERT per request); requests that never got a
    // connection (pool timeout while PostgreSQL was down) fail without one.
    assertThat(dbErrors(end)).isBetween(1.0, failed[MYVIEW2]);
    // Each pool timeout is one request that got no connection; with the failed statements they
    // are at most myview2's 500s: 4 + 104 = 108 in one run here, 3 + 104 = 107 of 108 in
    // another (a request that met the kill outside a statement, at commit, counts in neither).
    double timeouts = end.value(P + "_db_pool_connection_timeouts_total" + pg);
    assertThat(timeouts).isPositive();
    assertThat(dbErrors(end) + timeouts).isLessThanOrEqualTo(failed[MYVIEW2]);
    // Only myview2 touches the database at request time, so only it answers 500 for it; /myview/
    // never fails.
    assertThat(failed[MYVIEW]).isZero();

    // Every request the filter saw ended (the in-flight gauge is back to 0) and is one response
    // of the four views. wrk read at most what the app answered: the difference is the requests
    // in flight when wrk stopped, at most one per connection, the ones wrk sent and never read.
    double seen = delta(on, P + "_http_requests_before_middlewares_total");
    assertThat(on.atEnd.value(P + "_http_inflight_requests")).isZero();
    assertThat(delta(on, P + "_http_responses_before_middlewares_total")).isEqualTo(seen);
    double answered = 0;
    for (int k = 0; k < VIEWS.length; k++) {
      answered += ok[k] + failed[k];
      assertThat(on.wrk.responses(k, 200)).isLessThanOrEqualTo((long) ok[k]);
      assertThat(on.wrk.responses(k, 500)).isLessThanOrEqualTo((long) failed[k]);
    }
    assertThat(answered).isEqualTo(seen);
    assertThat((long) seen).isBetween(on.wrk.totalCompleted(), on.wrk.totalSent());
    assertThat(on.wrk.totalSent() - on.wrk.totalCompleted()).isBetween(0L, 8L);
    assertThat(on.wrk.totalCompleted()).isEqualTo(on.wrk.requests());
  }

  /** Every counter and histogram sample of every scrape is at least what the previous showed. */
  private static void assertCountersNeverDecreased(List<Timed> scrapes) {
    // 30 s at one scrape per 250 ms; a scrape of the loaded app takes some ms itself.
    assertThat(scrapes.size()).as("scrapes during the run").isGreaterThan(80);
    Map<String, Double> last = new TreeMap<>();
    for (int i = 0; i < scrapes.size(); i++) {
      Map<String, Double> now = monotonicSamples(scrapes.get(i).scrape);
      for (Map.Entry<String, Double> e : last.entrySet()) {
        assertThat(now).as("scrape " + i + " still has " + e.getKey()).containsKey(e.getKey());
        assertThat(now.get(e.getKey()))
            .as("scrape " + i + ": " + e.getKey())
            .isGreaterThanOrEqualTo(e.getValue());
      }
      last = now;
    }
  }

  /** Samples of counter and histogram families, {@code _created} left out. */
  private static Map<String, Double> monotonicSamples(TextScrape scrape) {
    Set<String> monotonic = new java.util.HashSet<>();
    Map<String, Double> result = new TreeMap<>();
    for (String line : scrape.text().split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] f = line.split(" ");
        if (f[3].equals("counter") || f[3].equals("histogram")) {
          monotonic.add(f[2]);
        }
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        String series = line.substring(0, space);
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        if (name.endsWith("_created")) {
          continue;
        }
        for (String suffix : List.of("_total", "_bucket", "_count", "_sum", "")) {
          if (name.endsWith(suffix)
              && monotonic.contains(name.substring(0, name.length() - suffix.length()))) {
            result.put(series, Double.parseDouble(line.substring(space + 1)));
            break;
          }
        }
      }
    }
    return result;
  }

  /** The samples that say what the faults did, for the log and docs/reliability.md. */
  private static String faultSamples(TextScrape scrape) {
    StringBuilder b = new StringBuilder();
    for (String prefix :
        List.of(
            P + "_db_errors_total",
            P + "_db_new_connection",
            P + "_db_pool_connection_timeouts_total",
            P + "_cache_get_",
            P + "_http_responses_total_by_status_view_method_total",
            P + "_http_requests_before_middlewares_total",
            P + "_http_exceptions_total_by_type_total")) {
      scrape.samplesStartingWith(prefix).forEach(l -> b.append("  ").append(l).append('\n'));
    }
    return b.toString();
  }

  private static double dbErrors(TextScrape scrape) {
    return scrape.samplesStartingWith(P + "_db_errors_total").stream()
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String responses(int status, String view) {
    return P + "_http_responses_total_by_status_view_method_total{method=\"GET\",status=\""
        + status + "\",view=\"" + view + "\"}";
  }

  private static double delta(Run r, String series) {
    return r.atEnd.valueOrZero(series) - r.atStart.valueOrZero(series);
  }

  private static TextScrape firstScrapeAfter(List<Timed> scrapes, long millis) {
    return scrapes.stream()
        .filter(t -> t.at >= millis)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no scrape after " + millis))
        .scrape;
  }

  /** The steady part of each phase, as wall-clock [from, to). */
  private static Map<String, long[]> steadyPhases(Schedule s) {
    Map<String, long[]> result = new LinkedHashMap<>();
    result.put("before the faults", new long[] {s.start + SETTLE_MS, s.killPostgres});
    result.put("PostgreSQL down", new long[] {s.killPostgres + SETTLE_MS, s.killRedis});
    result.put("PostgreSQL and Redis down", new long[] {s.killRedis + SETTLE_MS, s.restartBegin});
    result.put("both restarted", new long[] {s.restartDone + RECOVERY_MS, s.end - SETTLE_MS});
    return result;
  }

  private static Run run(
      Path dir, PostgresServer postgres, PostgresCrash crash, RedisServer redis, boolean enabled)
      throws Exception {
    Files.createDirectories(dir);
    int appPort = FreePorts.next();
    int exporterPort = FreePorts.next();
    try (ServerProcess app = startDemo(dir, appPort, exporterPort, postgres, redis, enabled)) {
      TextScrape atStart = enabled ? scrape(exporterPort) : null;
      List<Timed> scrapes = new ArrayList<>();
      List<String> scrapeFailures = new ArrayList<>();
      AtomicBoolean stopScraping = new AtomicBoolean();
      Thread scraper =
          new Thread(
              () -> {
                while (!stopScraping.get()) {
                  long at = System.currentTimeMillis();
                  try {
                    TextScrape s = scrape(exporterPort);
                    synchronized (scrapes) {
                      scrapes.add(new Timed(at, s));
                    }
                    Thread.sleep(Math.max(0, at + 250 - System.currentTimeMillis()));
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    synchronized (scrapeFailures) {
                      scrapeFailures.add(at + ": " + e);
                    }
                  }
                }
              },
              "scraper");
      long start = System.currentTimeMillis();
      CompletableFuture<CountingWrk.Result> load = new CompletableFuture<>();
      Thread wrk =
          new Thread(
              () -> {
                try {
                  load.complete(
                      CountingWrk.run(
                          dir, "http://127.0.0.1:" + appPort, 8, RUN, SLOT_MS, 0, REQUESTS));
                } catch (Throwable t) {
                  load.completeExceptionally(t);
                }
              },
              "wrk");
      wrk.start();
      if (enabled) {
        scraper.start();
      }
      Map<String, TextScrape> before = new LinkedHashMap<>();
      try {
        sleepUntil(start + KILL_POSTGRES.toMillis());
        before.put("kill PostgreSQL", enabled ? scrape(exporterPort) : null);
        long killPostgres = System.currentTimeMillis();
        crash.kill();
        sleepUntil(start + KILL_REDIS.toMillis());
        before.put("kill Redis", enabled ? scrape(exporterPort) : null);
        long killRedis = System.currentTimeMillis();
        redis.stop();
        sleepUntil(start + RESTART_BOTH.toMillis());
        before.put("restart", enabled ? scrape(exporterPort) : null);
        long restartBegin = System.currentTimeMillis();
        crash.restart();
        redis.start();
        long restartDone = System.currentTimeMillis();
        CountingWrk.Result result;
        try {
          result = load.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw new AssertionError("wrk failed; app output:\n" + app.output(), e.getCause());
        }
        stopScraping.set(true);
        scraper.interrupt();
        scraper.join(10_000);
        assertThat(scrapeFailures).as("scrapes that failed during the run").isEmpty();
        TextScrape atEnd = enabled ? awaitIdle(exporterPort) : null;
        return new Run(
            result,
            new Schedule(
                start,
                killPostgres,
                killRedis,
                restartBegin,
                restartDone,
                start + RUN.toMillis(),
                before),
            List.copyOf(scrapes),
            atStart,
            atEnd);
      } finally {
        stopScraping.set(true);
        scraper.interrupt();
        wrk.join(TimeUnit.SECONDS.toMillis(RUN.toSeconds() + 60));
      }
    }
  }

  /**
   * The packaged demo jar with ReadThroughView added: Spring Boot's PropertiesLauncher puts a
   * directory holding only that class on the class path ({@code loader.path}) and {@code
   * spring.main.sources} registers it; everything else is the demo, configured by environment
   * variables as a deployment would be. The pool and Redis time out after 500 ms, so that a
   * request to a server that is down fails in bounded time; both runs get the same settings but
   * {@code PROMETHEUS_ENABLED}.
   */
  private static ServerProcess startDemo(
      Path dir,
      int appPort,
      int exporterPort,
      PostgresServer postgres,
      RedisServer redis,
      boolean enabled)
      throws Exception {
    Path extra = dir.resolve("extra");
    String classFile = ReadThroughView.class.getName().replace('.', '/') + ".class";
    Path target = extra.resolve(classFile);
    Files.createDirectories(target.getParent());
    try (InputStream in = ReadThroughView.class.getClassLoader().getResourceAsStream(classFile)) {
      Files.copy(in, target);
    }
    Path jar = Path.of(System.getProperty("demo.jar", "target/java-prometheus-demo.jar"));
    assertThat(jar).exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return ServerProcess.command(
                java,
                "-Dloader.path=" + extra,
                "-cp",
                jar.toAbsolutePath().toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--server.port=" + appPort,
                "--server.address=127.0.0.1",
                "--spring.main.sources=" + ReadThroughView.class.getName(),
                // A command-line argument, not SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT: as an
                // environment variable that one setting leaves the pool unmeasured below (no
                // db_new_connections at all; reported in docs/reliability.md).
                "--spring.datasource.hikari.connection-timeout=500")
            .directory(dir)
            .environment("PROMETHEUS_ENABLED", String.valueOf(enabled))
            .environment("PROMETHEUS_METRICS_EXPORT_PORT", String.valueOf(exporterPort))
            .environment("PROMETHEUS_METRICS_EXPORT_ADDRESS", "127.0.0.1")
            .environment("SPRING_DATASOURCE_URL", postgres.jdbcUrl())
            .environment("SPRING_DATASOURCE_USERNAME", postgres.user())
            .environment("SPRING_DATASOURCE_PASSWORD", postgres.password())
            .environment("SPRING_CACHE_TYPE", "redis")
            .environment("SPRING_CACHE_CACHE_NAMES", "default,reads")
            .environment("SPRING_DATA_REDIS_HOST", redis.host())
            .environment("SPRING_DATA_REDIS_PORT", String.valueOf(redis.port()))
            .environment("SPRING_DATA_REDIS_TIMEOUT", "500ms")
            .environment("SPRING_DATA_REDIS_CONNECT_TIMEOUT", "500ms")
            .readyWhen(Probe.tcp("127.0.0.1", appPort))
            .startTimeout(Duration.ofSeconds(120))
            .start();
  }

  private static TextScrape scrape(int exporterPort) throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporterPort + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("scrape answered " + r.statusCode() + ": " + r.body());
    }
    return TextScrape.parse(r.body());
  }

  /**
   * Waits (10 s at most) until no request is in flight and every request counted before is
   * counted as a response too, then scrapes once more (the outer filter counts the response last,
   * after the client has it, and a scrape reads family after family).
   */
  private static TextScrape awaitIdle(int exporterPort) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape s = scrape(exporterPort);
    while (s.value(P + "_http_inflight_requests") != 0
        || !s.value(P + "_http_requests_before_middlewares_total")
            .equals(s.value(P + "_http_responses_before_middlewares_total"))) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("requests still in flight 10 s after wrk ended:\n" + s.text());
      }
      Thread.sleep(20);
      s = scrape(exporterPort);
    }
    return scrape(exporterPort);
  }

  private static void sleepUntil(long millis) throws InterruptedException {
    long wait = millis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  /** Per second of the run, each request's responses by status, and when each event happened. */
  private static String timeline(Run r) {
    Schedule s = r.schedule;
    long seconds = (s.end - s.start) / 1000 + 2;
    StringBuilder b = new StringBuilder("  s");
    for (Request q : REQUESTS) {
      b.append(String.format(" | %-20s", q.path()));
    }
    b.append('\n');
    for (int sec = 0; sec < seconds; sec++) {
      long from = s.start + sec * 1000L;
      b.append(String.format("%3d", sec));
      for (int k = 0; k < REQUESTS.size(); k++) {
        Map<Integer, Long> st = new TreeMap<>(r.wrk.statuses(k, from, from + 1000));
        StringBuilder cell = new StringBuilder();
        st.forEach((status, n) -> cell.append(status).append('x').append(n).append(' '));
        b.append(String.format(" | %-20s", cell.toString().trim()));
      }
      for (Map.Entry<String, Long> e :
          Map.of(
                  "PostgreSQL killed", s.killPostgres,
                  "Redis killed", s.killRedis,
                  "restart begins", s.restartBegin,
                  "both up", s.restartDone)
              .entrySet()) {
        if (e.getValue() >= from && e.getValue() < from + 1000) {
          b.append("  <- ").append(e.getKey()).append(" at +").append(e.getValue() - s.start)
              .append(" ms");
        }
      }
      b.append('\n');
    }
    b.append("wrk: ").append(r.wrk.requests()).append(" responses, ")
        .append(r.wrk.totalSent()).append(" sent, ").append(r.wrk.socketErrors())
        .append(" socket errors\n");
    return b.toString();
  }
}
