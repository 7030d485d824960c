package io.github.javaprometheus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerProcessTest {
  @Test
  void aServerNeverReadyFailsAtItsDeadlineNamingTheCommandWithItsOutputAndIsKilled() {
    ServerProcess server =
        ServerProcess.command("sh", "-c", "echo booting; exec sleep 30")
            .readyWhen(() -> false)
            .startTimeout(Duration.ofSeconds(1))
            .build();
    long start = System.nanoTime();
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("sh -c echo booting; exec sleep 30 was not ready within 1000 ms")
        .hasMessageContaining("output:\nbooting\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(server.isAlive()).isFalse();
    assertThat(ServerProcess.registeredAtExit(server)).isFalse();
  }

  @Test
  void aServerThatExitsBeforeReadyFailsWithItsExitCodeAndOutput() {
    ServerProcess server =
        ServerProcess.command("sh", "-c", "echo bad config >&2; exit 2")
            .readyWhen(() -> false)
            .startTimeout(Duration.ofSeconds(20))
            .build();
    long start = System.nanoTime();
    assertThatThrownBy(server::start)
        .hasMessage("sh -c echo bad config >&2; exit 2 exited 2 before it was ready; output:\nbad config\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aProbeThatThrowsShowsItsLastErrorAtTheDeadline() {
    int port = FreePorts.next();
    ServerProcess server =
        ServerProcess.command("sleep", "30")
            .readyWhen(Probe.tcp("127.0.0.1", port))
            .startTimeout(Duration.ofMillis(500))
            .build();
    assertThatThrownBy(server::start).hasMessageContaining("Connection refused");
  }

  @Test
  void aRealServerIsReadyOnItsPortStopsRestartsAndIsRegisteredForTheShutdownHookWhileRunning(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    int port = FreePorts.next();
    Files.writeString(dir.resolve("index.html"), "hi");
    try (ServerProcess server =
        ServerProcess.command(
                Tools.require("python3").toString(), "-m", "http.server", "--bind", "127.0.0.1",
                String.valueOf(port))
            .directory(dir)
            .readyWhen(Probe.http("http://127.0.0.1:" + port + "/index.html"))
            .startTimeout(Duration.ofSeconds(30))
            .start()) {
      assertThat(server.isAlive()).isTrue();
      assertThat(ServerProcess.registeredAtExit(server)).isTrue();
      assertThat(Probe.tcp("127.0.0.1", port).ready()).isTrue();

      server.stop();
      assertThat(server.isAlive()).isFalse();
      assertThat(ServerProcess.registeredAtExit(server)).isFalse();
      assertThatThrownBy(() -> Probe.tcp("127.0.0.1", port).ready()).hasMessageContaining("refused");

      server.start();
      assertThat(server.isAlive()).isTrue();
      assertThat(Probe.http("http://127.0.0.1:" + port + "/index.html").ready()).isTrue();
    }
  }

  @Test
  void readyWhenOutputContainsWaitsForTheLineAndCloseDeletesTheDirectory() throws Exception {
    Path dir = Files.createTempDirectory("server-process-test-");
    ServerProcess server =
        ServerProcess.command("sh", "-c", "sleep 0.3; echo listening; exec sleep 30")
            .directory(dir)
            .deleteDirectoryOnClose()
            .readyWhenOutputContains("listening")
            .stopTimeout(Duration.ofSeconds(2))
            .start();
    assertThat(server.output()).isEqualTo("listening\n");
    long start = System.nanoTime();
    server.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(server.isAlive()).isFalse();
    assertThat(dir).doesNotExist();
  }

  @Test
  void closeAtExitRegistersAndForgetUnregisters() {
    AutoCloseable resource = () -> {};
    ServerProcess.closeAtExit(resource);
    assertThat(ServerProcess.registeredAtExit(resource)).isTrue();
    ServerProcess.forget(resource);
    assertThat(ServerProcess.registeredAtExit(resource)).isFalse();
  }

  @Test
  void aBuilderWithoutProbeIsRefused() {
    assertThatThrownBy(() -> ServerProcess.command("true").build())
        .hasMessage("no readiness probe for true");
  }
}
