package io.github.javaprometheus.benchmarks;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.multiprocess.MultiprocessStore;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DESIGN §8 R6: one counter increment, file-backed against in-heap, side by side:
 *
 * <ul>
 *   <li>{@code heap}: a client_java {@code Counter} (what {@code MetricFamilies} creates without
 *       {@code prometheus.multiproc-dir});
 *   <li>{@code file}: the multiprocess store's counter, a compare-and-set on the mapped file; with
 *       {@code -t N} all threads increment the same entry (the production design);
 *   <li>{@code file-per-thread}: the striping alternative, each thread with its own file (as if it
 *       were another process, which the merge sums), so no two threads share an entry.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar MultiprocessCounterBenchmark -f 1 -wi 3 -i 5 -t 1
 * java -jar benchmarks/target/benchmarks.jar MultiprocessCounterBenchmark -f 1 -wi 3 -i 5 -t 2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MultiprocessCounterBenchmark {

  @Param({"heap", "file", "file-per-thread"})
  public String store;

  Path dir;
  CounterDataPoint shared;
  final AtomicInteger threads = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("jp-r6-");
    if (store.equals("heap")) {
      shared =
          MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry())
              .counter("bench_increments", "Increments")
              .noLabels();
    } else {
      shared = fileCounter(dir, "bench");
    }
  }

  static CounterDataPoint fileCounter(Path dir, String processId) {
    MultiprocessStore s = MultiprocessStore.builder(dir).processId(processId).open();
    return MetricFamilies.create(PrometheusSettings.defaults(), new PrometheusRegistry(), s)
        .counter("bench_increments", "Increments")
        .noLabels();
  }

  /** The counter a benchmark thread increments. */
  @State(Scope.Thread)
  public static class Child {
    CounterDataPoint counter;

    @Setup(Level.Trial)
    public void setUp(MultiprocessCounterBenchmark b) {
      counter =
          b.store.equals("file-per-thread")
              ? fileCounter(b.dir, "bench-t" + b.threads.incrementAndGet())
              : b.shared;
    }
  }

  @Benchmark
  public void inc(Child child) {
    child.counter.inc();
  }
}
