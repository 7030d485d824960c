package io.github.javaprometheus.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real server process started by a test (a database, Redis, Prometheus, the demo jar).
 *
 * <p>{@link #start()} waits until the {@link Probe} answers, with a deadline: when the process
 * exits first, or the deadline passes, it fails with a message naming the command and showing the
 * output. The output (standard output and error, merged) is drained concurrently from the start.
 * Every started server is stopped by {@link #close()} and, should the test JVM end first, by a
 * JVM shutdown hook. {@link #stop()} followed by {@link #start()} restarts it with the same
 * command (a server that goes away mid-test and comes back).
 */
public final class ServerProcess implements AutoCloseable {
  private static final Set<AutoCloseable> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ServerProcess::closeAllRunning, "stop test servers"));
  }

  private final List<String> command;
  private final Path directory;
  private final Map<String, String> environment;
  private final Probe probe;
  private final String readyLine;
  private final Duration startTimeout;
  private final Duration stopTimeout;
  private final boolean deleteDirectory;
  private volatile Process process;
  private volatile Drain output;

  private ServerProcess(Builder b) {
    this.command = List.copyOf(b.command);
    this.directory = b.directory;
    this.environment = Map.copyOf(b.environment);
    this.probe = b.probe;
    this.readyLine = b.readyLine;
    this.startTimeout = b.startTimeout;
    this.stopTimeout = b.stopTimeout;
    this.deleteDirectory = b.deleteDirectory;
  }

  /** A server run by this command line. */
  public static Builder command(String... command) {
    return new Builder(Arrays.asList(command));
  }

  /** A server run by this command line. */
  public static Builder command(List<String> command) {
    return new Builder(command);
  }

  /**
   * Closes {@code resource} from the JVM shutdown hook unless it is {@link #forget forgotten}
   * first: for servers that daemonise (pg_ctl) and so are no child process of ours.
   */
  public static void closeAtExit(AutoCloseable resource) {
    RUNNING.add(resource);
  }

  /** Undoes {@link #closeAtExit}. */
  public static void forget(AutoCloseable resource) {
    RUNNING.remove(resource);
  }

  static boolean registeredAtExit(AutoCloseable resource) {
    return RUNNING.contains(resource);
  }

  private static void closeAllRunning() {
    for (AutoCloseable r : List.copyOf(RUNNING)) {
      try {
        if (r instanceof ServerProcess server) {
          server.killFromHook();
        } else {
          r.close();
        }
      } catch (Exception e) {
        System.err.println("could not stop " + r + ": " + e);
      }
    }
  }

  /**
   * Starts the process (again, after {@link #stop()}) and waits until it is ready.
   *
   * @throws IllegalStateException naming the command, with its output, when the process exits
   *     before it is ready or is not ready within the start timeout (it is then stopped)
   */
  public synchronized ServerProcess start() {
    if (isAlive()) {
      return this;
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      pb.directory(directory.toFile());
    }
    pb.environment().putAll(environment);
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + commandLine() + ": " + e, e);
    }
    output = Drain.of(process.getInputStream(), command.get(0));
    RUNNING.add(this);
    long deadline = System.nanoTime() + startTimeout.toNanos();
    String last = "no answer yet";
    while (true) {
      if (!process.isAlive()) {
        int exit = process.exitValue();
        RUNNING.remove(this);
        throw new IllegalStateException(
            commandLine() + " exited " + exit + " before it was ready; output:\n" + awaitOutput());
      }
      try {
        if (readyNow()) {
          return this;
        }
        last = "probe answered not ready";
      } catch (Exception notYet) {
        last = notYet.toString();
      }
      if (System.nanoTime() - deadline > 0) {
        break;
      }
      sleep(Duration.ofMillis(100));
    }
    kill();
    throw new IllegalStateException(
        commandLine()
            + " was not ready within "
            + startTimeout.toMillis()
            + " ms ("
            + last
            + "); output:\n"
            + awaitOutput());
  }

  private boolean readyNow() throws Exception {
    if (readyLine != null && !output.text().contains(readyLine)) {
      return false;
    }
    return probe == null || probe.ready();
  }

  /** Whether the process runs now. */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The process id; fails unless started. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(commandLine() + " was not started");
    }
    return process.pid();
  }

  /** Its output so far (the last 256 KB), for failure messages. */
  public synchronized String output() {
    return output == null ? "" : output.text();
  }

  /**
   * Ends the process politely (SIGTERM), forcibly after the stop timeout, and waits until it is
   * gone; fails with the command and its output if it cannot be ended.
   */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          Processes.kill(process);
        }
      }
      process.descendants().forEach(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Processes.kill(process);
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(this);
    }
    if (process.isAlive()) {
      throw new IllegalStateException(commandLine() + " could not be stopped; output:\n" + output());
    }
  }

  /** Ends the process abruptly (SIGKILL), as a crash would, and waits (bounded) until it is gone. */
  public synchronized void kill() {
    if (process != null) {
      Processes.kill(process);
      RUNNING.remove(this);
    }
  }

  /** Unsynchronised: a test thread may hold the lock (waiting in start) while the JVM ends. */
  private void killFromHook() {
    Process p = process;
    if (p != null) {
      Processes.kill(p);
    }
    if (deleteDirectory) {
      deleteRecursively(directory);
    }
  }

  /** Stops the process and, when the builder said so, deletes its directory. Never throws. */
  @Override
  public synchronized void close() {
    try {
      stop();
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
    } finally {
      if (deleteDirectory) {
        deleteRecursively(directory);
      }
    }
  }

  /** Deletes a directory tree; a failure (a socket file of a killed server) is only reported. */
  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  private String awaitOutput() {
    try {
      return output.await(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return output.text();
    }
  }

  private String commandLine() {
    return String.join(" ", command);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return commandLine();
  }

  /** What to run, where, and how to know it is ready. */
  public static final class Builder {
    private final List<String> command;
    private Path directory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Probe probe;
    private String readyLine;
    private Duration startTimeout = Duration.ofSeconds(30);
    private Duration stopTimeout = Duration.ofSeconds(10);
    private boolean deleteDirectory;

    private Builder(List<String> command) {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("empty command");
      }
      this.command = new ArrayList<>(command);
    }

    /** The working directory. */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /** {@link #close()} deletes the working directory too. */
    public Builder deleteDirectoryOnClose() {
      this.deleteDirectory = true;
      return this;
    }

    /** An environment variable of the process. */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** Ready when this probe answers true. */
    public Builder readyWhen(Probe probe) {
      this.probe = probe;
      return this;
    }

    /** Ready once the output contains this text (and the probe, if any, answers true). */
    public Builder readyWhenOutputContains(String text) {
      this.readyLine = text;
      return this;
    }

    /** How long {@link #start()} waits until ready; 30 s unless set. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** How long {@link #stop()} waits after SIGTERM before SIGKILL; 10 s unless set. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = timeout;
      return this;
    }

    /** The server, not started yet. */
    public ServerProcess build() {
      if (probe == null && readyLine == null) {
        throw new IllegalStateException("no readiness probe for " + String.join(" ", command));
      }
      return new ServerProcess(this);
    }

    /** Builds and {@linkplain ServerProcess#start() starts} the server. */
    public ServerProcess start() {
      return build().start();
    }
  }
}
