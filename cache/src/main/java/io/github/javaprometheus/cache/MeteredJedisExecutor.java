package io.github.javaprometheus.cache;

import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.executors.CommandExecutor;

/** A Jedis {@link CommandExecutor} that counts GET/GETEX/GETDEL/MGET; see {@link JedisCacheMetrics}. */
// close() throws what the wrapped executor's close() throws, as CommandExecutor declares it.
@SuppressWarnings("try")
final class MeteredJedisExecutor implements CommandExecutor, Metered {
  private final CommandExecutor delegate;
  private final CacheCounters counters;

  MeteredJedisExecutor(CommandExecutor delegate, CacheCounters counters) {
    this.delegate = delegate;
    this.counters = counters;
  }

  @Override
  public <T> T executeCommand(CommandObject<T> commandObject) {
    ProtocolCommand command = commandObject.getArguments().getCommand();
    boolean single =
        command == Protocol.Command.GET
            || command == Protocol.Command.GETEX
            || command == Protocol.Command.GETDEL;
    boolean bulk = command == Protocol.Command.MGET;
    if (!single && !bulk) {
      return delegate.executeCommand(commandObject);
    }
    T result;
    try {
      result = delegate.executeCommand(commandObject);
    } catch (RuntimeException | Error e) {
      counters.failed(bulk ? keyCount(commandObject) : 1);
      throw e;
    }
    if (single) {
      JedisGets.single(counters, result);
    } else {
      JedisGets.bulk(counters, result);
    }
    return result;
  }

  @Override
  public <T> T broadcastCommand(CommandObject<T> commandObject) {
    return delegate.broadcastCommand(commandObject);
  }

  @Override
  public void close() throws Exception {
    delegate.close();
  }

  private int keyCount(CommandObject<?> commandObject) {
    try {
      // The arguments are the command name followed by the keys.
      return Math.max(1, commandObject.getArguments().size() - 1);
    } catch (RuntimeException e) {
      counters.instrumentationError(e);
      return 1;
    }
  }
}
