package io.github.javaprometheus.exporter;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A batch job in its own JVM for {@link MetricsPusherIT}: counts 7 records, then either ends with
 * {@code System.exit(3)} (the pusher closed by its shutdown hook) or returns from {@code main}
 * (closed by try-with-resources). Settings come from system properties.
 */
public final class PushAtExitMain {
  private PushAtExitMain() {}

  public static void main(String[] args) {
    PrometheusSettings settings = PrometheusSettings.load();
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies families = MetricFamilies.create(settings, registry);
    if (args[0].equals("exit3")) {
      MetricsPusher.start(settings, registry).closeAtShutdown();
      families.counter("batch_records", "Records imported.").noLabels().inc(7);
      System.exit(3);
    }
    try (MetricsPusher pusher = MetricsPusher.start(settings, registry)) {
      families.counter("batch_records", "Records imported.").noLabels().inc(7);
      if (!pusher.isActive()) {
        throw new IllegalStateException("no prometheus.pushgateway.address");
      }
    }
  }
}
