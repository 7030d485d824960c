package io.github.javaprometheus.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.multiprocess.MultiprocessCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R6/R7 measure what they claim: 512 files that merge right, counters that count. */
class MultiprocessBenchmarksTest {

  @Test
  void theR7DirectoryHas512FilesAndMergesToTheExpectedTotals(@TempDir Path dir) throws Exception {
    MultiprocessFiles.write(dir);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".db")).count()).isEqualTo(512);
    }
    MultiprocessMergeBenchmark.check(new MultiprocessCollector(dir).collect());
  }

  @Test
  void everyR6VariantCounts() throws Exception {
    for (String store : new String[] {"heap", "file", "file-per-thread"}) {
      MultiprocessCounterBenchmark b = new MultiprocessCounterBenchmark();
      b.store = store;
      b.setUp();
      MultiprocessCounterBenchmark.Child child = new MultiprocessCounterBenchmark.Child();
      child.setUp(b);
      for (int i = 0; i < 1000; i++) {
        b.inc(child);
      }
      assertThat(child.counter.get()).as(store).isEqualTo(1000.0);
    }
  }
}
