package io.github.javaprometheus.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's /usr/bin/python3 with its python3-prometheus-client (0.16): the reference the
 * files must agree with. A missing client fails the test, naming the script that installs it.
 */
final class Python {
  static final String PYTHON = "/usr/bin/python3";

  private Python() {}

  /** Fails with a clear message unless /usr/bin/python3 can import prometheus_client. */
  static String requireClient() throws Exception {
    Result r = run(null, List.of("-c", "import prometheus_client.multiprocess, importlib.metadata as m; print(m.version('prometheus_client'))"));
    if (r.exit != 0) {
      fail(
          "These tests compare with Python prometheus_client, but " + PYTHON
              + " cannot import it (exit " + r.exit + "): " + r.err
              + "\nInstall it with: bash scripts/install-test-tools.sh (Debian package python3-prometheus-client)");
    }
    return r.out.trim();
  }

  /**
   * The layout the installed prometheus_client reads and writes: one value per entry up to 0.16,
   * value and timestamp from 0.17.
   */
  static FileFormat layout() throws Exception {
    String[] v = requireClient().split("\\.");
    int major = Integer.parseInt(v[0]);
    int minor = Integer.parseInt(v[1].replaceAll("[^0-9].*", ""));
    return major > 0 || minor >= 17 ? FileFormat.VALUE_AND_TIMESTAMP : FileFormat.VALUE;
  }

  /** Runs a script from src/test/resources/python with PROMETHEUS_MULTIPROC_DIR=dir. */
  static Result script(Path dir, String script, String... args) throws Exception {
    Path file = Files.createTempFile("java-prometheus-", ".py");
    try (InputStream in = Python.class.getResourceAsStream("/python/" + script)) {
      assertThat(in).as("test resource python/" + script).isNotNull();
      Files.write(file, in.readAllBytes());
    }
    try {
      List<String> command = new ArrayList<>();
      command.add(file.toString());
      command.addAll(Arrays.asList(args));
      return run(dir, command);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** As {@link #script}, failing the test unless it exits 0; its standard output. */
  static String ok(Path dir, String script, String... args) throws Exception {
    Result r = script(dir, script, args);
    assertThat(r.exit).as("%s exit code; stderr:%n%s", script, r.err).isZero();
    return r.out;
  }

  static Result run(Path dir, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(PYTHON);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("PYTHONPATH");
    pb.environment().remove("prometheus_multiproc_dir");
    if (dir != null) {
      pb.environment().put("PROMETHEUS_MULTIPROC_DIR", dir.toString());
    } else {
      pb.environment().remove("PROMETHEUS_MULTIPROC_DIR");
    }
    if (!Files.isExecutable(Path.of(PYTHON))) {
      fail(PYTHON + " cannot be started; install it with: bash scripts/install-test-tools.sh");
    }
    // Output read concurrently and a deadline that can fire: a hung interpreter fails the test.
    io.github.javaprometheus.testing.Processes.Result r =
        io.github.javaprometheus.testing.Processes.run(java.time.Duration.ofSeconds(120), pb, null);
    return new Result(r.exitCode(), r.output(), r.errors());
  }

  static List<String> lines(String out) {
    List<String> lines = new ArrayList<>();
    for (String l : out.split("\n")) {
      if (!l.isEmpty()) {
        lines.add(l);
      }
    }
    return lines;
  }

  static final class Result {
    final int exit;
    final String out;
    final String err;

    Result(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }
  }
}
