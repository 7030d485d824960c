package io.github.javaprometheus.cache;

import java.io.IOException;
import java.util.List;

/** A real {@code redis-server} on a free loopback port, no persistence, in a temporary directory. */
public final class RedisServer extends ServerProcess {
  public RedisServer() throws IOException {
    super("redis-server", "redis-server");
  }

  /** Starts a new server and waits until it answers PING. */
  public static RedisServer started() throws IOException, InterruptedException {
    RedisServer server = new RedisServer();
    server.start();
    return server;
  }

  @Override
  List<String> command() {
    return List.of(
        binary(),
        "--port", String.valueOf(port()),
        "--bind", "127.0.0.1",
        "--save", "",
        "--appendonly", "no",
        "--dir", dir().toString());
  }

  @Override
  String probe() {
    return "PING\r\n";
  }

  @Override
  String expectedReply() {
    return "+PONG";
  }
}
