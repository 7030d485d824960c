package io.github.javaprometheus.cache;

import io.lettuce.core.Value;
import io.lettuce.core.event.command.CommandBaseEvent;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.event.command.CommandSucceededEvent;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Counts GET/GETEX/GETDEL/MGET. Sync and async commands are futures: the outcome is taken from the
 * future the caller waits on, so a timeout (the caller cancels it) or a command rejected while
 * disconnected is a failure even when Redis never answers. Other commands (reactive) are counted
 * from the listener's own succeeded/failed events.
 */
final class LettuceGetListener implements CommandListener {
  /** Marks, in the event context shared by the events of one command, a command counted by its future. */
  private static final String COUNTED = LettuceGetListener.class.getName();

  private final CacheCounters counters;

  LettuceGetListener(CacheCounters counters) {
    this.counters = counters;
  }

  @Override
  public void commandStarted(CommandStartedEvent event) {
    try {
      RedisCommand<Object, Object, Object> command = event.getCommand();
      boolean bulk;
      ProtocolKeyword type = command.getType();
      if (isSingleGet(type)) {
        bulk = false;
      } else if (isBulkGet(type)) {
        bulk = true;
      } else {
        return;
      }
      CompletableFuture<?> future = CommandWrapper.unwrap(command, CompletableFuture.class);
      if (future == null) {
        return;
      }
      int keys = bulk ? keyCount(command) : 1;
      event.getContext().put(COUNTED, Boolean.TRUE);
      future.whenComplete((value, error) -> record(bulk, keys, value, error));
    } catch (RuntimeException | LinkageError e) {
      counters.instrumentationError(e);
    }
  }

  @Override
  public void commandSucceeded(CommandSucceededEvent event) {
    try {
      if (counted(event)) {
        return;
      }
      RedisCommand<Object, Object, Object> command = event.getCommand();
      ProtocolKeyword type = command.getType();
      if (isSingleGet(type)) {
        record(false, 1, command.getOutput() == null ? null : command.getOutput().get(), null);
      } else if (isBulkGet(type) && command.getOutput() != null) {
        record(true, keyCount(command), command.getOutput().get(), null);
      }
    } catch (RuntimeException | LinkageError e) {
      counters.instrumentationError(e);
    }
  }

  @Override
  public void commandFailed(CommandFailedEvent event) {
    try {
      if (counted(event)) {
        return;
      }
      RedisCommand<Object, Object, Object> command = event.getCommand();
      ProtocolKeyword type = command.getType();
      if (isSingleGet(type)) {
        counters.fail();
      } else if (isBulkGet(type)) {
        counters.failed(keyCount(command));
      }
    } catch (RuntimeException | LinkageError e) {
      counters.instrumentationError(e);
    }
  }

  private void record(boolean bulk, int keys, Object value, Throwable error) {
    try {
      if (error != null) {
        counters.failed(keys);
      } else if (!bulk) {
        if (value != null) {
          counters.hit();
        } else {
          counters.miss();
        }
      } else if (value instanceof List && ((List<?>) value).size() == keys) {
        int hits = 0;
        for (Object element : (List<?>) value) {
          if (element instanceof Value ? ((Value<?>) element).hasValue() : element != null) {
            hits++;
          }
        }
        counters.bulk(hits, keys - hits);
      }
      // Otherwise the values went to a streaming channel or subscriber: not observable here.
    } catch (RuntimeException | LinkageError e) {
      counters.instrumentationError(e);
    }
  }

  private static boolean counted(CommandBaseEvent event) {
    return event.getContext().get(COUNTED) != null;
  }

  private static boolean isSingleGet(ProtocolKeyword type) {
    return type == CommandType.GET || type == CommandType.GETEX || type == CommandType.GETDEL;
  }

  private static boolean isBulkGet(ProtocolKeyword type) {
    return type == CommandType.MGET;
  }

  private static int keyCount(RedisCommand<?, ?, ?> command) {
    CommandArgs<?, ?> args = command.getArgs();
    return args == null ? 0 : args.count();
  }
}
