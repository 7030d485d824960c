package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Counts exceptions thrown inside instrumentation in {@code <p>_instrumentation_errors_total{component}}
 * and logs them at WARNING, with the stack trace, at most once a minute per component, so a bug in
 * metrics code (or a failing metric store) is visible without ever reaching the application and
 * without flooding the log: a message says how many failures of the component were not logged
 * since the previous one.
 */
public final class InstrumentationErrors {
  /** The shortest time between two messages about one component. */
  public static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static final System.Logger LOG = System.getLogger(InstrumentationErrors.class.getName());

  private final BoundedFamily<CounterDataPoint> counter;
  private final LongSupplier nanoClock;
  // One entry per component; components are names fixed in code (http, jdbc, cache, ...).
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  InstrumentationErrors(BoundedFamily<CounterDataPoint> counter) {
    this(counter, System::nanoTime);
  }

  /** With the clock that decides when a component may be logged again; for tests. */
  InstrumentationErrors(BoundedFamily<CounterDataPoint> counter, LongSupplier nanoClock) {
    this.counter = counter;
    this.nanoClock = nanoClock;
  }

  /** Records a failure of a component ({@code http}, {@code jdbc}, {@code cache}, ...). Never throws. */
  public void record(String component, Throwable error) {
    boolean counted;
    try {
      counter.label(component).inc();
      counted = true;
    } catch (RuntimeException | LinkageError e) {
      counted = false; // the store failed to hold this series too: the log is the only report
    }
    try {
      log(component, error, counted);
    } catch (RuntimeException | LinkageError ignored) {
      // Reporting must never be the thing that breaks the application.
    }
  }

  private void log(String component, Throwable error, boolean counted) {
    Window w = windows.computeIfAbsent(component, c -> new Window());
    long now = nanoClock.getAsLong();
    long unlogged;
    synchronized (w) {
      if (w.logged && now - w.last < LOG_INTERVAL_NANOS) {
        w.unlogged++;
        return;
      }
      unlogged = w.unlogged;
      w.unlogged = 0;
      w.last = now;
      w.logged = true;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "java-prometheus instrumentation of '"
            + component
            + "' failed; the application is unaffected. "
            + (counted
                ? "Counted in instrumentation_errors_total{component=\"" + component + "\"}"
                : "Not counted: instrumentation_errors_total could not be written either")
            + (unlogged == 0 ? "" : "; " + unlogged + " more failures since the last message")
            + ". Logged at most once a minute per component.",
        error);
  }

  /** When a component was last logged, and what happened since. */
  private static final class Window {
    boolean logged;
    long last;
    long unlogged;
  }
}
