package io.github.javaprometheus.demo;

import io.github.javaprometheus.jdbc.testing.PostgresServer;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.Tools;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Crashes and restarts the {@link PostgresServer} of FaultsUnderLoadIT: {@link #kill()} sends
 * SIGKILL to its postmaster and every process under it at once, as a crash of the database host
 * would (open connections see their sockets close, new ones are refused); {@link #restart()}
 * starts the same cluster again with {@code pg_ctl restart}, which reuses the options the server
 * was started with ({@code postmaster.opts}) and runs crash recovery. The postmaster is found by
 * the port it was started for, so nothing but this test's server is touched.
 */
final class PostgresCrash {
  private final PostgresServer server;
  private Path dataDir;

  PostgresCrash(PostgresServer server) {
    this.server = server;
  }

  /** SIGKILL to the postmaster and its children; returns once all of them are gone (10 s at most). */
  void kill() throws InterruptedException {
    ProcessHandle postmaster = postmaster().orElseThrow(
        () -> new IllegalStateException("no postmaster running for " + server));
    dataDir = dataDirectory(postmaster);
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.add(postmaster);
    all.forEach(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (all.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("PostgreSQL processes still alive 10 s after SIGKILL");
      }
      Thread.sleep(10);
    }
  }

  /** Starts the killed cluster again and waits (60 s at most) until JDBC gets in. */
  void restart() throws Exception {
    if (dataDir == null) {
      throw new IllegalStateException("restart() without kill()");
    }
    Processes.run(
            Duration.ofSeconds(90),
            new ProcessBuilder(
                    Processes.asUser(
                        "postgres",
                        Tools.require("pg_ctl").toString(),
                        "-D", dataDir.toString(),
                        "-l", dataDir.resolveSibling("server.log").toString(),
                        "-w",
                        "-t", "60",
                        "restart"))
                .redirectErrorStream(true),
            null)
        .requireSuccess();
    try (Connection c =
        DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
      c.createStatement().execute("SELECT 1");
    }
  }

  /** The postmaster: a process named postgres whose arguments hold {@code -p <port>}. */
  private Optional<ProcessHandle> postmaster() {
    String port = String.valueOf(server.port());
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              List<String> args = Arrays.asList(p.info().arguments().orElse(new String[0]));
              int i = args.indexOf("-p");
              return p.info().command().orElse("").endsWith("/postgres")
                  && i >= 0
                  && i + 1 < args.size()
                  && args.get(i + 1).equals(port);
            })
        .findFirst();
  }

  private static Path dataDirectory(ProcessHandle postmaster) {
    List<String> args = Arrays.asList(postmaster.info().arguments().orElse(new String[0]));
    int i = args.indexOf("-D");
    if (i < 0 || i + 1 >= args.size()) {
      throw new IllegalStateException("no -D in the postmaster's arguments " + args);
    }
    return Path.of(args.get(i + 1));
  }
}
