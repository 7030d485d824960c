package io.github.javaprometheus.cache;

import java.util.List;

/** A real {@code memcached} on a free loopback port, TCP only. */
public final class MemcachedServer extends CacheServer {
  public MemcachedServer() {
    // -u root: memcached refuses to run as root without naming the user (tests run as root in CI).
    super(
        "memcached",
        "version\r\n",
        "VERSION",
        (binary, port, dir) ->
            List.of(binary, "-u", "root", "-l", "127.0.0.1", "-p", String.valueOf(port), "-U", "0"));
  }

  /** Starts a new server and waits until it answers {@code version}. */
  public static MemcachedServer started() {
    return started(new MemcachedServer());
  }
}
