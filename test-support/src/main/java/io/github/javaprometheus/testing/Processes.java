package io.github.javaprometheus.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion under a deadline. Its output is read concurrently (a process that
 * never exits, or writes more than a pipe holds, cannot hang the test), and a missed deadline
 * kills the process and fails with the command and the output it wrote.
 */
public final class Processes {
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

  private Processes() {}

  /** Runs {@code command} with standard error merged into its output and no input. */
  public static Result run(Duration timeout, String... command) {
    return run(timeout, new ProcessBuilder(command).redirectErrorStream(true), null);
  }

  /**
   * Runs what {@code builder} describes (its directory, environment and redirects are kept),
   * feeding it {@code stdin} when not null.
   *
   * @throws IllegalStateException when it does not exit within {@code timeout}, or cannot start
   */
  public static Result run(Duration timeout, ProcessBuilder builder, String stdin) {
    List<String> command = List.copyOf(builder.command());
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + String.join(" ", command) + ": " + e, e);
    }
    Drain out = Drain.of(p.getInputStream(), command.get(0));
    Drain err = Drain.of(p.getErrorStream(), command.get(0));
    Thread feeder = feed(p, stdin);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        throw new IllegalStateException(
            "timed out after "
                + timeout.toMillis()
                + " ms: "
                + String.join(" ", command)
                + "\noutput so far:\n"
                + out.await(DRAIN_GRACE)
                + err.await(DRAIN_GRACE));
      }
      feeder.join(DRAIN_GRACE.toMillis());
      return new Result(command, p.exitValue(), out.await(DRAIN_GRACE), err.await(DRAIN_GRACE));
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** The command run as {@code user} (via runuser) when we are root; servers refuse root. */
  public static String[] asUser(String user, String... command) {
    if (!isRoot()) {
      return command;
    }
    List<String> c = new ArrayList<>(Arrays.asList("runuser", "-u", user, "--"));
    c.addAll(Arrays.asList(command));
    return c.toArray(new String[0]);
  }

  /** Whether this JVM runs as root. */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Kills a process and everything it started, and waits (bounded) until it is gone. */
  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread feed(Process p, String stdin) {
    Thread t =
        new Thread(
            () -> {
              try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                  in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                // The process exited without reading all of its input: its exit code tells.
              }
            },
            "stdin of " + p.pid());
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * How a command ended.
   *
   * @param command the command line
   * @param exitCode its exit code
   * @param output its standard output (with standard error, when merged)
   * @param errors its standard error, empty when merged into the output
   */
  public record Result(List<String> command, int exitCode, String output, String errors) {
    /** This result, or an exception naming the command, exit code and output unless it is 0. */
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + exitCode + ":\n" + output + errors);
      }
      return this;
    }
  }
}
