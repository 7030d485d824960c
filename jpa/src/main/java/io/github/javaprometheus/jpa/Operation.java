package io.github.javaprometheus.jpa;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/** The three model operations and the child each one counts in. */
enum Operation {
  INSERT,
  UPDATE,
  DELETE;

  CounterDataPoint counter(ModelMetrics.ModelCounters counters) {
    switch (this) {
      case INSERT:
        return counters.inserts;
      case UPDATE:
        return counters.updates;
      default:
        return counters.deletes;
    }
  }
}
