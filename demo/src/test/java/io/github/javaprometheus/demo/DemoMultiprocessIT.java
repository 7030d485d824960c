package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.TextScrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged demo runs in multiprocess mode out of the box: only the directory is set. */
class DemoMultiprocessIT {
  @Test
  void thePackagedJarWritesAndMergesTheSharedFiles(@TempDir Path dir) throws Exception {
    Path shared = Files.createDirectories(dir.resolve("multiproc"));
    try (DemoJar demo = new DemoJar(dir, Map.of("PROMETHEUS_MULTIPROC_DIR", shared.toString()))) {
      assertThat(demo.get("/myview/")).isEqualTo("hello");
      assertThat(demo.get("/myview/")).isEqualTo("hello");
      TextScrape s = demo.awaitResponses("java", 2);
      assertThat(
              s.value(
                  "java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"io.github.javaprometheus.demo.DemoController.myView\"}"))
          .isEqualTo(2.0);
      try (Stream<Path> files = Files.list(shared)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .anySatisfy(name -> assertThat(name).startsWith("counter_").endsWith(".db"));
      }
    }
  }
}
