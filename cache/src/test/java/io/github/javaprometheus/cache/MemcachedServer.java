package io.github.javaprometheus.cache;

import java.io.IOException;
import java.util.List;

/** A real {@code memcached} on a free loopback port. */
public final class MemcachedServer extends ServerProcess {
  public MemcachedServer() throws IOException {
    super("memcached", "memcached");
  }

  /** Starts a new server and waits until it answers {@code version}. */
  public static MemcachedServer started() throws IOException, InterruptedException {
    MemcachedServer server = new MemcachedServer();
    server.start();
    return server;
  }

  @Override
  List<String> command() {
    // -u root: memcached refuses to run as root without naming the user (tests run as root in CI).
    return List.of(binary(), "-u", "root", "-l", "127.0.0.1", "-p", String.valueOf(port()), "-U", "0");
  }

  @Override
  String probe() {
    return "version\r\n";
  }

  @Override
  String expectedReply() {
    return "VERSION";
  }
}
