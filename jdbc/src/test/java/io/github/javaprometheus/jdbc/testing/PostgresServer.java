package io.github.javaprometheus.jdbc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's binaries ({@code /usr/lib/postgresql/N/bin}),
 * a throw-away cluster in a temp directory, listening on a free port of 127.0.0.1 only, trust
 * authentication for user {@code postgres}. As root, the server runs as the {@code postgres} OS
 * user, as PostgreSQL requires. {@link #close()} stops it and deletes the cluster.
 */
public final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;
  private boolean running;

  private PostgresServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** Initialises a cluster and starts it; fails (never skips) when PostgreSQL is not installed. */
  public static PostgresServer start() throws Exception {
    Path bin = findBin();
    Path dir = Files.createTempDirectory("java-prometheus-pg-");
    PostgresServer server = new PostgresServer(bin, dir, ServerProcess.freePort());
    // A test JVM that dies still stops its server.
    Thread hook = new Thread(server::close, "stop " + dir);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.initAndStart();
      return server;
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  private static Path findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    Optional<Path> bin = Optional.empty();
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        bin =
            versions
                .map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                .max(Comparator.comparing(b -> versionOf(b.getParent())));
      }
    }
    return bin.orElseThrow(
        () -> ServerProcess.missing("PostgreSQL", "/usr/lib/postgresql/*/bin/pg_ctl", "postgresql"));
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void initAndStart() throws Exception {
    if (ServerProcess.isRoot()) {
      ServerProcess.run(dir, 30, "chown", "-R", "postgres:postgres", dir.toString());
    }
    Path data = dir.resolve("data");
    ServerProcess.run(
        dir,
        120,
        ServerProcess.as(
            "postgres",
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync"));
    ServerProcess.run(
        dir,
        120,
        ServerProcess.as(
            "postgres",
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p " + port
                + " -k " + dir
                + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                + " -c full_page_writes=off -c max_connections=50",
            "start"));
    running = true;
    // pg_ctl -w waited for the socket; make sure JDBC gets in too.
    try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), password())) {
      c.createStatement().execute("SELECT 1");
    }
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

  /** The server log, for failure messages. */
  public String log() {
    return ServerProcess.tail(dir.resolve("server.log"));
  }

  /** Stops the server and deletes its files; never throws, so it can run from a shutdown hook. */
  @Override
  public synchronized void close() {
    try {
      if (running) {
        running = false;
        ServerProcess.run(
            dir,
            60,
            ServerProcess.as(
                "postgres",
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-m",
                "immediate",
                "-w",
                "stop"));
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
