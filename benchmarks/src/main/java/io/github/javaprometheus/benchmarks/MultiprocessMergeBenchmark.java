package io.github.javaprometheus.benchmarks;

import io.github.javaprometheus.multiprocess.MultiprocessCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * DESIGN §8 R7: one merge of a 512-file multiprocess directory ({@link MultiprocessFiles}) into
 * client_java snapshots, as a scrape does. Python's side is {@code
 * benchmarks/python/multiprocess_merge_timeit.py} on the same directory.
 *
 * <ul>
 *   <li>{@code merge}: the collector a server keeps (decoded keys cached between scrapes);
 *   <li>{@code mergeCold}: a new collector every time, decoding every distinct key again, as
 *       Python does on every collect.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.javaprometheus.benchmarks.MultiprocessFiles /tmp/jp-r7
 * /usr/bin/python3 benchmarks/python/multiprocess_merge_timeit.py /tmp/jp-r7 20
 * java -jar benchmarks/target/benchmarks.jar MultiprocessMergeBenchmark -p dir=/tmp/jp-r7 -f 1 -wi 5 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MultiprocessMergeBenchmark {

  /** The directory; empty: a new temporary one. Written when it holds no .db file. */
  @Param("")
  public String dir;

  private Path path;
  private MultiprocessCollector collector;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    path = dir.isEmpty() ? Files.createTempDirectory("jp-r7-") : Paths.get(dir);
    Files.createDirectories(path);
    try (Stream<Path> files = Files.list(path)) {
      if (files.noneMatch(p -> p.toString().endsWith(".db"))) {
        MultiprocessFiles.write(path);
      }
    }
    collector = new MultiprocessCollector(path);
    check(collector.collect());
  }

  @Benchmark
  public MetricSnapshots merge() {
    return collector.collect();
  }

  @Benchmark
  public MetricSnapshots mergeCold() {
    return new MultiprocessCollector(path).collect();
  }

  /** The merge is right, or the trial fails: the view0/GET counter summed over every process. */
  static void check(MetricSnapshots snapshots) {
    for (MetricSnapshot s : snapshots) {
      if (s.getMetadata().getName().equals("java_http_requests_total_by_view_transport_method")) {
        for (DataPointSnapshot dp : s.getDataPoints()) {
          if ("com.example.DemoController.view0".equals(dp.getLabels().get("view"))
              && "GET".equals(dp.getLabels().get("method"))) {
            double v = ((CounterSnapshot.CounterDataPointSnapshot) dp).getValue();
            if (v != MultiprocessFiles.expectedView0Get()) {
              throw new IllegalStateException("merged " + v + ", expected " + MultiprocessFiles.expectedView0Get());
            }
            return;
          }
        }
      }
    }
    throw new IllegalStateException("the merge has no view0/GET request counter");
  }
}
