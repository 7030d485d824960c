package io.github.javaprometheus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports free on the loopback address right now. Another process may take one before the test
 * binds it; tests that can bind port 0 themselves should do that instead.
 */
public final class FreePorts {
  private FreePorts() {}

  /** A port free on 127.0.0.1 now. */
  public static int next() {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback address", e);
    }
  }

  /** A port {@code p} such that {@code p .. p + count - 1} are all free on 127.0.0.1 now. */
  public static int firstOfConsecutive(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = next();
      if (first + count - 1 > 65535) {
        continue;
      }
      if (allFree(loopback, first, count)) {
        return first;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports on " + loopback);
  }

  private static boolean allFree(InetAddress address, int first, int count) {
    for (int p = first; p < first + count; p++) {
      try {
        new ServerSocket(p, 50, address).close();
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}
