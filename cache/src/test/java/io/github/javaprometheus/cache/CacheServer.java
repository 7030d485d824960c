package io.github.javaprometheus.cache;

import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A cache server the tests run for real ({@code redis-server}, {@code memcached}) on a free port
 * of 127.0.0.1, in a temporary directory that {@link #close()} deletes. Run by test-support's
 * {@link ServerProcess}: the start has a deadline that fires (naming the command, showing its
 * output), the output is drained, and a test JVM that ends first still stops it. A missing binary
 * fails the test with the package that installs it; it never skips.
 */
abstract class CacheServer implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  /** The command line of a server listening on {@code port}, working in {@code dir}. */
  interface CommandLine {
    List<String> of(String binary, int port, Path dir);
  }

  private final String binary;
  private final int port = FreePorts.next();
  private final ServerProcess process;

  /** A server answering {@code request} with a line starting {@code reply} once it serves. */
  CacheServer(String tool, String request, String reply, CommandLine command) {
    binary = Tools.require(tool).toString();
    Path dir;
    try {
      dir = Files.createTempDirectory("java-prometheus-" + tool + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    process =
        ServerProcess.command(command.of(binary, port, dir))
            .directory(dir)
            .deleteDirectoryOnClose()
            .readyWhen(Probe.reply(HOST, port, request, reply))
            .startTimeout(Duration.ofSeconds(20))
            .build();
  }

  /** {@code server}, started; one that does not come up is closed and the failure thrown. */
  static <S extends CacheServer> S started(S server) {
    server.start();
    return server;
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /**
   * Starts the server (again, after {@link #stop()}) and waits until it answers.
   *
   * @throws IllegalStateException with the command and its output when it does not come up in
   *     20 s; the server is then closed
   */
  public void start() {
    try {
      process.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Kills the server (SIGKILL), as a crash mid-run would, and waits until it is gone. */
  public void stop() {
    process.kill();
  }

  /** Stops the server and deletes its directory; never throws. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return binary + " on " + HOST + ":" + port;
  }
}
