package io.github.javaprometheus.jdbc.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB server for tests: Debian's {@code mariadbd}, a fresh data directory in a temp
 * directory, listening on a free port of 127.0.0.1 only, with database {@code test} and user
 * {@code root} without password (grant tables skipped: the server is private to the test).
 * {@link #kill()} ends it abruptly, as a crash would; {@link #close()} stops it and deletes it.
 */
public final class MariaDbServer implements AutoCloseable {
  private static final Path SERVER = Path.of("/usr/sbin/mariadbd");
  private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");

  private final Path dir;
  private final int port;
  private Process process;

  private MariaDbServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Installs a data directory and starts the server; fails (never skips) when MariaDB is missing. */
  public static MariaDbServer start() throws Exception {
    if (!Files.isExecutable(SERVER) || !Files.isExecutable(INSTALL_DB)) {
      throw ServerProcess.missing("MariaDB", SERVER + " and " + INSTALL_DB, "mariadb-server");
    }
    Path dir = Files.createTempDirectory("java-prometheus-mariadb-");
    MariaDbServer server = new MariaDbServer(dir, ServerProcess.freePort());
    // A test JVM that dies still stops its server.
    Thread hook = new Thread(server::close, "stop " + dir);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.installAndStart();
      return server;
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  private String user() {
    return System.getProperty("user.name");
  }

  private void installAndStart() throws Exception {
    Path data = dir.resolve("data");
    ServerProcess.run(
        dir,
        180,
        INSTALL_DB.toString(),
        "--no-defaults",
        "--datadir=" + data,
        "--user=" + user(),
        "--auth-root-authentication-method=normal",
        "--skip-test-db");
    process =
        new ProcessBuilder(
                SERVER.toString(),
                "--no-defaults",
                "--datadir=" + data,
                "--user=" + user(),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--log-error=" + dir.resolve("server.log"),
                "--tmpdir=" + dir,
                "--skip-grant-tables",
                "--skip-name-resolve",
                "--skip-log-bin",
                "--performance-schema=OFF",
                "--innodb-buffer-pool-size=32M",
                "--innodb-flush-log-at-trx-commit=0",
                "--max-connections=100")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mariadbd exited " + process.exitValue() + ":\n" + log());
      }
      try (Connection c = DriverManager.getConnection(serverUrl(), "root", "")) {
        c.createStatement().execute("CREATE DATABASE IF NOT EXISTS test");
        return;
      } catch (SQLException notYet) {
        last = notYet;
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("mariadbd did not accept connections in 90 s:\n" + log(), last);
  }

  private String serverUrl() {
    return "jdbc:mariadb://127.0.0.1:" + port + "/";
  }

  /** {@code jdbc:mariadb://127.0.0.1:<port>/test}. */
  public String jdbcUrl() {
    return serverUrl() + "test";
  }

  public int port() {
    return port;
  }

  /** The server log, for failure messages. */
  public String log() {
    return ServerProcess.tail(dir.resolve("server.log"));
  }

  /** Kills the server process at once (SIGKILL), as a crash or an OOM killer would. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Stops the server and deletes its files; never throws, so it can run from a shutdown hook. */
  @Override
  public synchronized void close() {
    try {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(30, TimeUnit.SECONDS);
        }
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      System.err.println("could not stop the server in " + dir + ": " + e);
    } finally {
      ServerProcess.deleteRecursively(dir);
    }
  }
}
