package io.github.javaprometheus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the real tools the tests run: {@code pg_ctl}, {@code initdb}, {@code mariadbd}, {@code
 * redis-server}, {@code memcached}, {@code prometheus}, {@code promtool}, {@code python3}, or any
 * other executable on the PATH. A missing tool fails the test, naming the Debian package and the
 * script that installs it; it never skips, with or without {@code CI=true} (under CI the message
 * says so, since there the machine was meant to have it).
 */
public final class Tools {
  private static final String INSTALL = "scripts/install-test-tools.sh";

  /** Tool name to its Debian package. */
  private static final Map<String, String> PACKAGES =
      Map.of(
          "pg_ctl", "postgresql",
          "initdb", "postgresql",
          "mariadbd", "mariadb-server",
          "mariadb-install-db", "mariadb-server",
          "redis-server", "redis-server",
          "memcached", "memcached",
          "prometheus", "prometheus",
          "promtool", "prometheus",
          "python3", "python3-prometheus-client");

  private Tools() {}

  /** Whether the tests run under CI ({@code CI=true}). */
  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * The absolute path of an executable, looked up where Debian installs it, then on the PATH.
   *
   * @throws IllegalStateException when it is not installed
   */
  public static Path require(String name) {
    return require(name, candidates(name), ci());
  }

  static Path require(String name, List<Path> candidates, boolean ci) {
    for (Path p : candidates) {
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String pkg = PACKAGES.getOrDefault(name, name);
    throw new IllegalStateException(
        name
            + " is not installed (looked in "
            + candidates
            + "): run "
            + INSTALL
            + ", which installs the Debian package "
            + pkg
            + (ci
                ? "; CI=true, so a missing tool fails the run"
                : "; tests that need real servers fail, they never skip"));
  }

  /** Where {@code name} is looked for, in order. */
  static List<Path> candidates(String name) {
    List<Path> result = new ArrayList<>();
    switch (name) {
      case "pg_ctl", "initdb" -> result.addAll(postgresBinaries(name));
      // Debian's interpreter: the one its python3-prometheus-client is installed for.
      case "python3" -> result.add(Path.of("/usr/bin/python3"));
      case "mariadbd" -> result.add(Path.of("/usr/sbin/mariadbd"));
      default -> {}
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        result.add(Path.of(dir, name));
      }
    }
    result.add(Path.of("/usr/bin", name));
    result.add(Path.of("/usr/sbin", name));
    return result.stream().distinct().toList();
  }

  /** {@code /usr/lib/postgresql/<version>/bin/<name>}, the newest version first. */
  private static List<Path> postgresBinaries(String name) {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .sorted(Comparator.comparingInt(Tools::version).reversed())
          .map(v -> v.resolve("bin").resolve(name))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int version(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
