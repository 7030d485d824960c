package io.github.javaprometheus.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a process stream on its own daemon thread while the process runs, so a process that
 * writes more than the pipe holds never blocks, and a wait with a deadline can always fire. Keeps
 * the last {@value #LIMIT} bytes.
 */
final class Drain {
  static final int LIMIT = 256 * 1024;

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final Thread thread;
  private long total;

  private Drain(InputStream in, String name) {
    thread = new Thread(() -> copy(in), "drain " + name);
    thread.setDaemon(true);
    thread.start();
  }

  static Drain of(InputStream in, String name) {
    return new Drain(in, name);
  }

  private void copy(InputStream in) {
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) != -1) {
        append(chunk, n);
      }
    } catch (IOException e) {
      // The process is gone and its pipe closed under us: what was read is kept.
    }
  }

  private synchronized void append(byte[] chunk, int n) {
    buffer.write(chunk, 0, n);
    total += n;
    if (buffer.size() > 2 * LIMIT) {
      byte[] all = buffer.toByteArray();
      buffer.reset();
      buffer.write(all, all.length - LIMIT, LIMIT);
    }
  }

  /**
   * Waits at most {@code timeout} for the end of the stream (a grandchild may hold the pipe open
   * after the process exited), then returns what was read.
   */
  String await(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return text();
  }

  /** What was read so far. */
  synchronized String text() {
    byte[] all = buffer.toByteArray();
    int shown = Math.min(all.length, LIMIT);
    String s = new String(all, all.length - shown, shown, StandardCharsets.UTF_8);
    long dropped = total - shown;
    return dropped == 0 ? s : "(" + dropped + " earlier bytes dropped)\n" + s;
  }
}
