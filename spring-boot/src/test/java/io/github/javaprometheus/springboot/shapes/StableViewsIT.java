package io.github.javaprometheus.springboot.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.Processes;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The same request mix in two separate JVMs gives the same set of {@code view} labels, none of
 * them the name of a class generated at run time. A lambda's class name differs between JVMs (its
 * hidden-class address), so the old naming failed this on every run.
 */
class StableViewsIT {

  private static List<String> viewsOfOneRun() {
    ProcessBuilder pb =
        new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            StableViewsMain.class.getName());
    Processes.Result r = Processes.run(Duration.ofSeconds(120), pb, null);
    assertThat(r.exitCode()).withFailMessage("%s%n%s", r.output(), r.errors()).isZero();
    return r.output()
        .lines()
        .filter(l -> l.startsWith("VIEW "))
        .map(l -> l.substring(5))
        .collect(Collectors.toList());
  }

  @Test
  void twoJvmsNameTheSameViews() {
    List<String> first = viewsOfOneRun();
    List<String> second = viewsOfOneRun();
    assertThat(first).hasSize(17).isEqualTo(second);
    assertThat(first)
        .allSatisfy(
            view ->
                assertThat(view)
                    .doesNotContain("$$")
                    .doesNotContain("/0x")
                    .doesNotContain("$Proxy")
                    .doesNotContain("Lambda"));
    assertThat(first).contains("/fn/users/{id}", ShapesApp.class.getName());
  }
}
