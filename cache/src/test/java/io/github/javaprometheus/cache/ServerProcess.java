package io.github.javaprometheus.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real server process started by a test: a missing binary fails the test with the command that
 * installs it (never a skip), the server is polled with its own protocol until it answers, and
 * {@link #close()} stops it and deletes its directory.
 */
public abstract class ServerProcess implements AutoCloseable {
  private final String binary;
  private final String debianPackage;
  private final Path dir;
  private final int port;
  private Process process;

  ServerProcess(String binary, String debianPackage) throws IOException {
    this.binary = require(binary, debianPackage).toString();
    this.debianPackage = debianPackage;
    this.dir = Files.createTempDirectory("java-prometheus-" + binary + "-");
    this.port = freePort();
  }

  /** The absolute path of a binary on the PATH or in /usr/bin, /usr/sbin; fails when absent. */
  public static Path require(String name, String debianPackage) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.add("/usr/bin");
    dirs.add("/usr/sbin");
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        name
            + " is not installed: run scripts/install-test-tools.sh (Debian package "
            + debianPackage
            + "); these tests need the real server and never skip");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  Path dir() {
    return dir;
  }

  String binary() {
    return binary;
  }

  /** The command line that starts the server on {@link #port()}. */
  abstract List<String> command();

  /** The request that proves the server is serving, and the start of its answer. */
  abstract String probe();

  abstract String expectedReply();

  /** Starts the server (again, after {@link #stop()}) and waits until it answers. */
  public final synchronized ServerProcess start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return this;
    }
    process =
        new ProcessBuilder(command())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            binary + " exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        last = ask(probe());
        if (last.startsWith(expectedReply())) {
          return this;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(50);
    }
    stop();
    throw new IllegalStateException(
        binary + " did not answer on port " + port + " (" + last + "):\n" + log());
  }

  /** Sends one line and returns the first line of the answer. */
  String ask(String line) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host(), port), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write(line.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder reply = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        reply.append((char) c);
      }
      return reply.toString().trim();
    }
  }

  /** Kills the server (the mid-run failure of the tests) and waits until it is gone. */
  public final synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  String log() {
    try {
      Path log = dir.resolve("server.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public final void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Override
  public String toString() {
    return binary + " (" + debianPackage + ") on " + host() + ":" + port;
  }
}
