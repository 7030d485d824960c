package io.github.javaprometheus.multiprocess;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.ByteBuffer;

/**
 * A gauge child whose value is one entry of {@code gauge_<mode>_<pid>.db}. In the {@code
 * mostrecent} modes every write also stamps the entry's timestamp (Unix seconds), which the merge
 * uses to pick the newest value; unlike Python, {@code inc}/{@code dec} are allowed there too and
 * stamp it as well.
 */
final class FileGauge implements GaugeDataPoint {
  private final ByteBuffer buffer;
  private final int offset;
  private final boolean stamped;

  FileGauge(Slots slots, boolean stamped) {
    this.buffer = slots.buffer;
    this.offset = slots.offsets[0];
    this.stamped = stamped;
  }

  @Override
  public void inc(double amount) {
    Slots.add(buffer, offset, amount);
    stamp();
  }

  @Override
  public void incWithExemplar(double amount, Labels labels) {
    inc(amount);
  }

  @Override
  public void set(double value) {
    Slots.set(buffer, offset, value);
    stamp();
  }

  @Override
  public void setWithExemplar(double value, Labels labels) {
    set(value);
  }

  @Override
  public double get() {
    return Slots.get(buffer, offset);
  }

  private void stamp() {
    if (stamped) {
      Slots.set(buffer, offset + 8, System.currentTimeMillis() / 1000.0);
    }
  }
}
