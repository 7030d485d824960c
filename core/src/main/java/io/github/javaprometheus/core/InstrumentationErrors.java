package io.github.javaprometheus.core;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts exceptions thrown inside instrumentation in {@code <p>_instrumentation_errors_total{component}}
 * and logs the first one per component with its stack trace, so a bug in metrics code is visible
 * without ever reaching the application.
 */
public final class InstrumentationErrors {
  private static final System.Logger LOG = System.getLogger(InstrumentationErrors.class.getName());

  private final BoundedFamily<CounterDataPoint> counter;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  InstrumentationErrors(BoundedFamily<CounterDataPoint> counter) {
    this.counter = counter;
  }

  /** Records a failure of a component ({@code http}, {@code jdbc}, {@code cache}, ...). Never throws. */
  public void record(String component, Throwable error) {
    try {
      counter.label(component).inc();
      if (logged.add(component)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "java-prometheus instrumentation of '"
                + component
                + "' failed; the application is unaffected, the event is counted in"
                + " instrumentation_errors_total. Further failures are logged at DEBUG.",
            error);
      } else {
        LOG.log(System.Logger.Level.DEBUG, "java-prometheus instrumentation failed", error);
      }
    } catch (RuntimeException | LinkageError ignored) {
      // Reporting must never be the thing that breaks the application.
    }
  }
}
