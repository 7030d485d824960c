package io.github.javaprometheus.migrations;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two migration gauges of one registry: the last counts recorded per connection, exposed at
 * scrape time. A collector of ours rather than a client_java {@code Gauge}, because the django
 * profile's names end in {@code _total}, which a {@code Gauge} of client_java 1.4.3 refuses.
 */
final class MigrationGauges implements MultiCollector {
  private final MetricMetadata applied;
  private final MetricMetadata unapplied;
  private final List<String> names;
  private final Map<String, long[]> byConnection = new ConcurrentHashMap<>();

  MigrationGauges(String appliedName, String unappliedName) {
    applied = GaugeMetadata.of(appliedName, "Count of applied migrations by database connection");
    unapplied =
        GaugeMetadata.of(unappliedName, "Count of unapplied migrations by database connection");
    names = List.of(applied.getPrometheusName(), unapplied.getPrometheusName());
  }

  void set(String connection, long appliedCount, long unappliedCount) {
    byConnection.put(connection, new long[] {appliedCount, unappliedCount});
  }

  /** The exposed names, {@code _total} included in the django profile. */
  List<String> names() {
    return names;
  }

  @Override
  public MetricSnapshots collect() {
    List<GaugeDataPointSnapshot> appliedPoints = new ArrayList<>();
    List<GaugeDataPointSnapshot> unappliedPoints = new ArrayList<>();
    for (Map.Entry<String, long[]> e : byConnection.entrySet()) {
      Labels labels = Labels.of("connection", e.getKey());
      appliedPoints.add(new GaugeDataPointSnapshot(e.getValue()[0], labels, null));
      unappliedPoints.add(new GaugeDataPointSnapshot(e.getValue()[1], labels, null));
    }
    return new MetricSnapshots(
        new GaugeSnapshot(applied, appliedPoints), new GaugeSnapshot(unapplied, unappliedPoints));
  }

  /**
   * Lets the registry refuse a second collector of these names at registration, not at every
   * scrape. Deprecated in client_java 1.10 for a descriptor API that 1.4.3 does not have.
   */
  @Override
  @SuppressWarnings("deprecation")
  public List<String> getPrometheusNames() {
    return names;
  }
}
