package io.github.javaprometheus.cache;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.event.command.CommandListener;

/**
 * Counts the GET family of a Lettuce client, backend {@code redis}: {@code GET}, {@code GETEX},
 * {@code GETDEL} (a value is a hit, nil a miss) and {@code MGET} (each key). An error reply, a
 * dropped connection, a rejected command or a timeout is a failure. Works through a Lettuce {@link
 * CommandListener}: the application keeps its own client and connections, results and exceptions
 * are untouched. Sync, async and reactive commands are counted; a reactive or streaming-channel
 * {@code MGET} hands its values to the subscriber without keeping them, so it is not counted.
 *
 * <p>Call it before the client's first {@code connect}: Lettuce reads the listeners when a
 * connection is made.
 */
public final class LettuceCacheMetrics {
  static final String BACKEND = "redis";

  private LettuceCacheMetrics() {}

  /**
   * Counts the gets of every connection the client makes from now on; returns the listener. When
   * {@code prometheus.enabled=false} the client is left untouched and the listener returned does
   * nothing (removing it from the client is harmless).
   */
  public static CommandListener instrument(
      AbstractRedisClient client, CacheMetrics metrics, String name) {
    if (!metrics.enabled()) {
      return new CommandListener() {};
    }
    CommandListener listener = new LettuceGetListener(metrics.counters(BACKEND, name));
    client.addListener(listener);
    return listener;
  }
}
