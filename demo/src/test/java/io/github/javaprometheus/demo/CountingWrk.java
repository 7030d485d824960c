package io.github.javaprometheus.demo;

import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code wrk} (Debian's, found by {@link Tools#require}) driving the requests of FaultsUnderLoadIT
 * and ExactCountsIT through {@code counting-wrk.lua}: one connection per thread, cycling through
 * a list of requests, every response counted by request, status and wall-clock slot. wrk itself
 * reports only totals; the script is what gives per-request and per-phase status counts.
 */
final class CountingWrk {
  /** One request of the cycle: {@code METHOD,PATH[,BODY_BYTES[,ajax]]} as the script reads it. */
  record Request(String method, String path, int bodyBytes, boolean ajax) {
    static Request get(String path) {
      return new Request("GET", path, 0, false);
    }

    String arg() {
      return method + "," + path + "," + bodyBytes + (ajax ? ",ajax" : "");
    }
  }

  /** A count of responses: in slot {@code slot}, to request {@code request}, with {@code status}. */
  record Count(long slot, int request, int status, long n) {}

  /**
   * What one run reported.
   *
   * @param sent requests the threads wrote (per thread)
   * @param completed responses the threads read (per thread)
   * @param counts responses by slot, request (index into the list given) and status
   * @param requests wrk's own count of completed requests
   * @param socketErrors wrk's connect, read, write and timeout errors, summed
   * @param slotMillis the slot width (0: everything is in slot 0)
   * @param output wrk's whole output, for failure messages
   */
  record Result(
      long[] sent,
      long[] completed,
      List<Count> counts,
      long requests,
      long socketErrors,
      long slotMillis,
      String output) {
    long totalSent() {
      long s = 0;
      for (long v : sent) {
        s += v;
      }
      return s;
    }

    long totalCompleted() {
      long s = 0;
      for (long v : completed) {
        s += v;
      }
      return s;
    }

    /** Responses to {@code request} with {@code status}, in the whole run. */
    long responses(int request, int status) {
      return counts.stream()
          .filter(c -> c.request == request && c.status == status)
          .mapToLong(Count::n)
          .sum();
    }

    /** Responses to {@code request} with any status, in the whole run. */
    long responses(int request) {
      return counts.stream().filter(c -> c.request == request).mapToLong(Count::n).sum();
    }

    /**
     * Responses to {@code request} by status, among those read at wall-clock times in {@code
     * [fromMillis, toMillis)} (to the slot: a slot counts when it lies wholly inside).
     */
    Map<Integer, Long> statuses(int request, long fromMillis, long toMillis) {
      Map<Integer, Long> result = new HashMap<>();
      for (Count c : counts) {
        long start = c.slot * slotMillis;
        if (c.request == request && start >= fromMillis && start + slotMillis <= toMillis) {
          result.merge(c.status, c.n, Long::sum);
        }
      }
      return result;
    }
  }

  private CountingWrk() {}

  /**
   * Runs wrk with {@code connections} threads of one connection each against {@code baseUrl}.
   *
   * @param duration wrk's {@code -d}: the run's length, or with {@code stopAfter} its deadline
   * @param slotMillis slot width for {@link Result#statuses} (0: none)
   * @param stopAfter responses per thread after which the thread stops (0: run for {@code
   *     duration}); wrk is interrupted (SIGINT, which makes it report at once) when all stopped
   */
  static Result run(
      Path dir,
      String baseUrl,
      int connections,
      Duration duration,
      long slotMillis,
      long stopAfter,
      List<Request> requests)
      throws IOException, InterruptedException {
    Path wrk = Tools.require("wrk");
    Path script = dir.resolve("counting-wrk.lua");
    try (InputStream in = CountingWrk.class.getResourceAsStream("/counting-wrk.lua")) {
      if (in == null) {
        throw new IllegalStateException("counting-wrk.lua is not on the test class path");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            wrk.toString(),
            "-t", String.valueOf(connections),
            "-c", String.valueOf(connections),
            "-d", duration.toSeconds() + "s",
            // Longer than any answer of the app under test (its pool and Redis time out first),
            // so wrk's own timeout never decides what a response was.
            "--timeout", "10s",
            "-s", script.toString(),
            baseUrl,
            "--",
            String.valueOf(slotMillis),
            String.valueOf(stopAfter)));
    requests.forEach(r -> command.add(r.arg()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    AtomicInteger stopped = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (out) {
                    out.append(line).append('\n');
                  }
                  if (line.startsWith("STOPPED ")) {
                    stopped.incrementAndGet();
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "wrk output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + duration.plusSeconds(30).toNanos();
    try {
      if (stopAfter > 0) {
        while (p.isAlive() && stopped.get() < connections && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        if (p.isAlive() && stopped.get() == connections) {
          Processes.run(Duration.ofSeconds(10), "kill", "-INT", String.valueOf(p.pid()))
              .requireSuccess();
        }
      }
      if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new AssertionError("wrk did not end within " + duration.plusSeconds(30) + ":\n" + out);
      }
    } finally {
      // Only a wrk that overran its deadline: destroying a process closes its output stream,
      // which would cut off what the reader has not read yet.
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    reader.join(10_000);
    if (reader.isAlive()) {
      throw new AssertionError("wrk's output not read to its end within 10 s after it ended");
    }
    String text;
    synchronized (out) {
      text = out.toString();
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("wrk exited " + p.exitValue() + ":\n" + text);
    }
    return parse(text, connections, slotMillis);
  }

  private static Result parse(String text, int threads, long slotMillis) {
    long[] sent = new long[threads];
    long[] completed = new long[threads];
    List<Count> counts = new ArrayList<>();
    long requests = -1;
    long socketErrors = -1;
    for (String line : text.split("\n")) {
      String[] f = line.trim().split(" ");
      switch (f[0]) {
        case "THREAD" -> {
          int id = Integer.parseInt(f[1]);
          sent[id] = Long.parseLong(f[2]);
          completed[id] = Long.parseLong(f[3]);
        }
        case "COUNT" ->
            counts.add(
                new Count(
                    Long.parseLong(f[1]),
                    Integer.parseInt(f[2]) - 1,
                    Integer.parseInt(f[3]),
                    Long.parseLong(f[4])));
        case "SUMMARY" -> {
          requests = Long.parseLong(f[1]);
          socketErrors =
              Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[4])
                  + Long.parseLong(f[6]);
        }
        default -> {}
      }
    }
    if (requests < 0) {
      throw new AssertionError("no SUMMARY line in wrk's output:\n" + text);
    }
    return new Result(sent, completed, counts, requests, socketErrors, slotMillis, text);
  }
}
