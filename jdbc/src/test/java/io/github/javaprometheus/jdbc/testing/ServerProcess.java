package io.github.javaprometheus.jdbc.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the database launchers share: finding binaries, running commands, ports, clean-up. */
final class ServerProcess {
  private ServerProcess() {}

  /** A missing server fails the test (never skips it), with the command that installs it. */
  static IllegalStateException missing(String what, String looked, String debianPackage) {
    return new IllegalStateException(
        what
            + " is not installed (looked for "
            + looked
            + "): run scripts/install-test-tools.sh, which installs the Debian package "
            + debianPackage);
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs a command to completion; fails with its output when it exits non-zero. */
  static String run(Path workDir, long timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", command));
    }
    String output = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + p.exitValue() + ":\n" + output);
    }
    return output;
  }

  /** The command, as {@code user} when we are root (servers refuse to run as root). */
  static String[] as(String user, String... command) {
    if (!isRoot()) {
      return command;
    }
    List<String> c = new ArrayList<>(Arrays.asList("runuser", "-u", user, "--"));
    c.addAll(Arrays.asList(command));
    return c.toArray(new String[0]);
  }

  static void deleteRecursively(Path dir) {
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
      // A socket file left by a killed server must not fail the test run.
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  static String tail(Path log) {
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
}
