package io.github.javaprometheus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessesTest {
  @Test
  void returnsExitCodeAndMergedOutput() {
    Processes.Result r = Processes.run(Duration.ofSeconds(10), "sh", "-c", "echo out; echo err >&2; exit 3");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.output()).isEqualTo("out\nerr\n");
    assertThat(r.errors()).isEmpty();
    assertThatThrownBy(r::requireSuccess)
        .hasMessageStartingWith("sh -c echo out; echo err >&2; exit 3 exited 3:")
        .hasMessageContaining("out\nerr\n");
  }

  @Test
  void aCommandPastItsDeadlineIsKilledAndFailsWithinSecondsNamingTheCommandAndItsOutput() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> Processes.run(Duration.ofSeconds(1), "sh", "-c", "echo started; exec sleep 30"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("timed out after 1000 ms: sh -c echo started; exec sleep 30")
        .hasMessageContaining("output so far:\nstarted\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aGrandchildHoldingThePipeOpenDoesNotHangTheDeadline() {
    long start = System.nanoTime();
    // sleep runs in the background with the pipe open: only the shell is the process we wait on.
    assertThatThrownBy(() -> Processes.run(Duration.ofSeconds(1), "sh", "-c", "sleep 30 & sleep 30"))
        .hasMessageStartingWith("timed out after 1000 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void feedsStdinAndDrainsMoreOutputThanAPipeHolds() {
    String input = "x".repeat(1_000_000);
    Processes.Result r =
        Processes.run(Duration.ofSeconds(20), new ProcessBuilder("cat"), input).requireSuccess();
    assertThat(r.output()).hasSize(Drain.LIMIT + "(737856 earlier bytes dropped)\n".length());
    assertThat(r.output()).startsWith("(737856 earlier bytes dropped)\nxxx");
  }

  @Test
  void keepsStandardErrorApartWhenNotMerged() {
    Processes.Result r =
        Processes.run(
            Duration.ofSeconds(10), new ProcessBuilder("sh", "-c", "echo out; echo err >&2"), null);
    assertThat(r.output()).isEqualTo("out\n");
    assertThat(r.errors()).isEqualTo("err\n");
  }

  @Test
  void aMissingCommandFailsNamingIt() {
    assertThatThrownBy(() -> Processes.run(Duration.ofSeconds(5), "/nonexistent/tool", "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot start /nonexistent/tool x");
  }

  @Test
  void asUserPrefixesRunuserOnlyForRoot() {
    String[] c = Processes.asUser("postgres", "pg_ctl", "start");
    if (Processes.isRoot()) {
      assertThat(c).containsExactly("runuser", "-u", "postgres", "--", "pg_ctl", "start");
    } else {
      assertThat(c).containsExactly("pg_ctl", "start");
    }
  }
}
