package io.github.javaprometheus.jdbc.testing;

import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * A real MariaDB server for tests: Debian's {@code mariadbd}, a fresh data directory in a temp
 * directory, listening on a free port of 127.0.0.1 only, with database {@code test} and user
 * {@code root} without password (grant tables skipped: the server is private to the test). Run by
 * test-support's {@link ServerProcess}: a start deadline that fires, its log (standard error)
 * drained, stopped at JVM exit should the test not close it. {@link #kill()} ends it abruptly, as
 * a crash would; {@link #close()} stops it and deletes it.
 */
public final class MariaDbServer implements AutoCloseable {
  private final int port = FreePorts.next();
  private final ServerProcess process;

  private MariaDbServer(Path server, Path dir) {
    String user = System.getProperty("user.name");
    process =
        ServerProcess.command(
                server.toString(),
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--user=" + user,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--tmpdir=" + dir,
                "--skip-grant-tables",
                "--skip-name-resolve",
                "--skip-log-bin",
                "--performance-schema=OFF",
                "--innodb-buffer-pool-size=32M",
                "--innodb-flush-log-at-trx-commit=0",
                "--max-connections=100")
            .directory(dir)
            .deleteDirectoryOnClose()
            .readyWhen(this::createTestDatabase)
            .startTimeout(Duration.ofSeconds(90))
            .stopTimeout(Duration.ofSeconds(30))
            .build();
  }

  /** Installs a data directory and starts the server; fails (never skips) when MariaDB is missing. */
  public static MariaDbServer start() throws Exception {
    Path server = Tools.require("mariadbd");
    Path installDb = Tools.require("mariadb-install-db");
    Path dir = Files.createTempDirectory("java-prometheus-mariadb-");
    MariaDbServer mariaDb = new MariaDbServer(server, dir);
    try {
      Processes.run(
              Duration.ofSeconds(180),
              new ProcessBuilder(
                      installDb.toString(),
                      "--no-defaults",
                      "--datadir=" + dir.resolve("data"),
                      "--user=" + System.getProperty("user.name"),
                      "--auth-root-authentication-method=normal",
                      "--skip-test-db")
                  .directory(dir.toFile())
                  .redirectErrorStream(true),
              null)
          .requireSuccess();
      mariaDb.process.start();
      return mariaDb;
    } catch (RuntimeException | Error e) {
      mariaDb.close();
      throw e;
    }
  }

  /** The readiness probe: connected, and database {@code test} exists. */
  private boolean createTestDatabase() throws Exception {
    try (Connection c = DriverManager.getConnection(serverUrl(), "root", "")) {
      c.createStatement().execute("CREATE DATABASE IF NOT EXISTS test");
      return true;
    }
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

  /** The server log (its standard error, the last 256 KB), for failure messages. */
  public String log() {
    return process.output();
  }

  /** Kills the server process at once (SIGKILL), as a crash or an OOM killer would. */
  public void kill() {
    process.kill();
  }

  /** Stops the server and deletes its files; never throws. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "MariaDB on 127.0.0.1:" + port + " (" + process + ")";
  }
}
