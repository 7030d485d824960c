package io.github.javaprometheus.migrations;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two migration gauges of one registry: the last counts recorded per connection, exposed at
 * scrape time. A collector of ours rather than a client_java {@code Gauge}, because the django
 * profile's names end in {@code _total}, which a {@code Gauge} of client_java 1.4.3 refuses.
 *
 * <p>How a name ending in {@code _total} is exposed depends on the client_java at run time, read
 * from its own public naming rule and nothing else (no reflection, no mutated metadata):
 *
 * <ul>
 *   <li>1.6.0 and later accept it for any type: a gauge of exactly that name, in every format and
 *       escaping scheme, as django-prometheus's {@code Gauge} exposes it.
 *   <li>Before (1.4.3, Spring Boot 4.0's version) every metadata with a reserved suffix is refused
 *       when it is created, also the one the writers re-create for dots or values escaping. The only
 *       type its writers print with {@code _total} is the counter, so the family is a counter named
 *       without the suffix: every format and escaping scheme serves the series under the same name
 *       ({@code django_migrations_applied_total{connection="default"}}), which is what dashboards
 *       and rules query; only the TYPE line says counter instead of gauge.
 * </ul>
 */
final class MigrationGauges implements MultiCollector {
  private static final System.Logger LOG = System.getLogger(MigrationGauges.class.getName());
  private static final String TOTAL = "_total";

  private final Family applied;
  private final Family unapplied;
  private final List<String> names;
  private final List<String> registeredNames;
  private final Map<String, long[]> byConnection = new ConcurrentHashMap<>();

  MigrationGauges(String appliedName, String unappliedName) {
    applied = Family.of(appliedName, "Count of applied migrations by database connection");
    unapplied = Family.of(unappliedName, "Count of unapplied migrations by database connection");
    names = List.of(applied.exposedName(), unapplied.exposedName());
    registeredNames =
        List.of(applied.metadata.getPrometheusName(), unapplied.metadata.getPrometheusName());
    if (applied.counter || unapplied.counter) {
      // Once per registry: says why the TYPE line differs from django-prometheus's.
      LOG.log(
          System.Logger.Level.INFO,
          "java-prometheus: this client_java refuses metric names ending in _total (1.6.0 and"
              + " later accept them); "
              + names
              + " are exposed as counter families, whose series carry these exact names in every"
              + " format; only their TYPE is counter instead of gauge");
    }
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
    List<Map.Entry<String, long[]>> counts = new ArrayList<>(byConnection.entrySet());
    return new MetricSnapshots(applied.snapshot(counts, 0), unapplied.snapshot(counts, 1));
  }

  /**
   * Lets the registry refuse a second collector of these names at registration, not at every
   * scrape; for a counter family the name without {@code _total}, as client_java's own counters
   * register. Deprecated in client_java 1.10 for a descriptor API that 1.4.3 does not have.
   */
  @Override
  @SuppressWarnings("deprecation")
  public List<String> getPrometheusNames() {
    return registeredNames;
  }

  /** One family: a gauge, or a counter where this client_java refuses the gauge's name. */
  private static final class Family {
    final MetricMetadata metadata;
    final boolean counter;

    private Family(MetricMetadata metadata, boolean counter) {
      this.metadata = metadata;
      this.counter = counter;
    }

    static Family of(String name, String help) {
      if (PrometheusNaming.isValidMetricName(name)) {
        return new Family(new MetricMetadata(name, help), false);
      }
      // The counter's writers append the suffix again; its metadata must not carry it.
      String base = name.endsWith(TOTAL) ? name.substring(0, name.length() - TOTAL.length()) : name;
      if (base.equals(name) || !PrometheusNaming.isValidMetricName(base)) {
        // Only a configuration error (a bad prefix or namespace) gets here, never a valid setting.
        throw new IllegalArgumentException(
            "'" + name + "': not a metric name: " + PrometheusNaming.validateMetricName(name));
      }
      return new Family(new MetricMetadata(base, help), true);
    }

    /** The name of the exposed series under the default (underscores) escaping. */
    String exposedName() {
      return counter ? metadata.getPrometheusName() + TOTAL : metadata.getPrometheusName();
    }

    /** Element {@code index} of each connection's counts. */
    MetricSnapshot snapshot(List<Map.Entry<String, long[]>> counts, int index) {
      if (counter) {
        List<CounterDataPointSnapshot> points = new ArrayList<>(counts.size());
        for (Map.Entry<String, long[]> e : counts) {
          // 0: no created timestamp; django-prometheus's gauges have none either.
          points.add(
              new CounterDataPointSnapshot(
                  e.getValue()[index], Labels.of("connection", e.getKey()), null, 0));
        }
        return new CounterSnapshot(metadata, points);
      }
      List<GaugeDataPointSnapshot> points = new ArrayList<>(counts.size());
      for (Map.Entry<String, long[]> e : counts) {
        points.add(
            new GaugeDataPointSnapshot(
                e.getValue()[index], Labels.of("connection", e.getKey()), null));
      }
      return new GaugeSnapshot(metadata, points);
    }
  }
}
