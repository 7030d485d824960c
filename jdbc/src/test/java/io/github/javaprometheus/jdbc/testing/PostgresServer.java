package io.github.javaprometheus.jdbc.testing;

import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * A real PostgreSQL server for tests: Debian's binaries ({@code /usr/lib/postgresql/N/bin}, the
 * newest), a throw-away cluster in a temp directory, listening on a free port of 127.0.0.1 only,
 * trust authentication for user {@code postgres}. As root, the server runs as the {@code postgres}
 * OS user, as PostgreSQL requires. {@code pg_ctl} daemonises the server, so it is no child process
 * of the test: every command runs under a deadline, and a test JVM that ends without {@link
 * #close()} still stops it (test-support's {@link ServerProcess#closeAtExit}). {@link #close()}
 * stops it and deletes the cluster.
 */
public final class PostgresServer implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

  private final Path initdb;
  private final Path pgCtl;
  private final Path dir;
  private final int port = FreePorts.next();
  private boolean running;

  private PostgresServer(Path initdb, Path pgCtl, Path dir) {
    this.initdb = initdb;
    this.pgCtl = pgCtl;
    this.dir = dir;
  }

  /** Initialises a cluster and starts it; fails (never skips) when PostgreSQL is not installed. */
  public static PostgresServer start() throws Exception {
    Path initdb = Tools.require("initdb");
    Path pgCtl = Tools.require("pg_ctl");
    PostgresServer server =
        new PostgresServer(initdb, pgCtl, Files.createTempDirectory("java-prometheus-pg-"));
    ServerProcess.closeAtExit(server);
    try {
      server.initAndStart();
      return server;
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  private void initAndStart() throws Exception {
    if (Processes.isRoot()) {
      run(Duration.ofSeconds(30), "chown", "-R", "postgres:postgres", dir.toString());
    }
    run(
        COMMAND_TIMEOUT,
        Processes.asUser(
            "postgres",
            initdb.toString(),
            "-D", data(),
            "-U", "postgres",
            "-A", "trust",
            "-E", "UTF8",
            "--locale=C",
            "--no-sync"));
    running = true;
    run(
        COMMAND_TIMEOUT,
        Processes.asUser(
            "postgres",
            pgCtl.toString(),
            "-D", data(),
            "-l", dir.resolve("server.log").toString(),
            "-w",
            "-t", "60",
            "-o",
            "-p " + port
                + " -k " + dir
                + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                + " -c full_page_writes=off -c max_connections=50",
            "start"));
    // pg_ctl -w waited for the socket; make sure JDBC gets in too.
    try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), password())) {
      c.createStatement().execute("SELECT 1");
    }
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  /** Runs a command in the cluster's directory; fails with its output unless it exits 0. */
  private void run(Duration timeout, String... command) {
    Processes.run(
            timeout,
            new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true),
            null)
        .requireSuccess();
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public String user() {
    return "postgres";
  }

  public String password() {
    return "";
  }

  public int port() {
    return port;
  }

  /** The end of the server log, for failure messages. */
  public String log() {
    Path log = dir.resolve("server.log");
    try {
      if (!Files.exists(log)) {
        return "(no log at " + log + ")";
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /**
   * Stops the server ({@code pg_ctl stop -m immediate}, under a deadline) and deletes its files;
   * never throws, so it can run from the shutdown hook.
   */
  @Override
  public synchronized void close() {
    try {
      if (running) {
        running = false;
        run(
            Duration.ofSeconds(60),
            Processes.asUser(
                "postgres", pgCtl.toString(), "-D", data(), "-m", "immediate", "-w", "stop"));
      }
    } catch (RuntimeException e) {
      System.err.println("could not stop the server in " + dir + ": " + e.getMessage());
    } finally {
      ServerProcess.forget(this);
      ServerProcess.deleteRecursively(dir);
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL on 127.0.0.1:" + port + " in " + dir;
  }
}
