package io.github.javaprometheus.cache;

import java.util.List;

/** A real {@code redis-server} on a free loopback port, no persistence, in a temporary directory. */
public final class RedisServer extends CacheServer {
  public RedisServer() {
    super(
        "redis-server",
        "PING\r\n",
        "+PONG",
        (binary, port, dir) ->
            List.of(
                binary,
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", dir.toString()));
  }

  /** Starts a new server and waits until it answers PING. */
  public static RedisServer started() {
    return started(new RedisServer());
  }
}
