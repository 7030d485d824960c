package io.github.javaprometheus.migrations;

import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.lang.reflect.Field;

/**
 * Metadata for a gauge whose name ends in {@code _total}, as django-prometheus names its migration
 * gauges. client_java 1.10 accepts such a name. 1.4.3 (Spring Boot 4.0's version) refuses every
 * metric name with a reserved suffix when the metadata is created, although its text, OpenMetrics
 * and protobuf writers print any name they are given; so there the metadata is created under the
 * name without the suffix and then given the full name. Where even that is impossible (client_java
 * in a module that does not open its package), the name without {@code _total} is exposed and a
 * warning says why.
 */
final class GaugeMetadata {
  private static final System.Logger LOG = System.getLogger(GaugeMetadata.class.getName());

  private GaugeMetadata() {}

  static MetricMetadata of(String name, String help) {
    try {
      return new MetricMetadata(name, help);
    } catch (IllegalArgumentException reservedSuffix) {
      String base = name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
      MetricMetadata metadata = new MetricMetadata(base, help);
      try {
        rename(metadata, "name", name);
        rename(metadata, "prometheusName", PrometheusNaming.prometheusName(name));
        return metadata;
      } catch (ReflectiveOperationException | RuntimeException notOpen) {
        LOG.log(
            System.Logger.Level.WARNING,
            "java-prometheus: this client_java refuses the metric name "
                + name
                + " and cannot be told otherwise here; exposing it as "
                + base,
            notOpen);
        return new MetricMetadata(base, help);
      }
    }
  }

  private static void rename(MetricMetadata metadata, String field, String value)
      throws ReflectiveOperationException {
    Field f = MetricMetadata.class.getDeclaredField(field);
    f.setAccessible(true);
    f.set(metadata, value);
  }
}
