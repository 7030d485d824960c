package io.github.javaprometheus.multiprocess;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

/** A counter child whose value is one entry of {@code counter_<pid>.db} (more when contended). */
final class FileCounter extends Striped implements CounterDataPoint {

  FileCounter(Slots slots, CellFactory cells) {
    super(slots, cells);
  }

  @Override
  public void inc(double amount) {
    if (amount < 0) {
      throw new IllegalArgumentException(
          "Negative increment " + amount + " is illegal for Counter metrics.");
    }
    add(0, amount);
  }

  @Override
  public void incWithExemplar(double amount, Labels labels) {
    inc(amount); // Exemplars are not kept in multiprocess files (nor by Python).
  }

  @Override
  public double get() {
    return sum(0);
  }

  @Override
  public long getLongValue() {
    return (long) get();
  }
}
