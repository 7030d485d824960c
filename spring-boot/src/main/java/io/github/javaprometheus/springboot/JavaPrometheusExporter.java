package io.github.javaprometheus.springboot;

import io.github.javaprometheus.exporter.MetricsExporter;
import java.util.Optional;

/**
 * The dedicated exporter of this application, if a port is configured. The exporter is shared by
 * every context of the JVM (DevTools restarts, test contexts), so closing a context leaves it up.
 */
public final class JavaPrometheusExporter {
  private final MetricsExporter exporter;

  JavaPrometheusExporter(MetricsExporter exporter) {
    this.exporter = exporter;
  }

  /** The running exporter, empty when no port is configured. */
  public Optional<MetricsExporter> exporter() {
    return Optional.ofNullable(exporter);
  }

  /** The bound port, or -1 when there is no dedicated exporter. */
  public int port() {
    return exporter == null ? -1 : exporter.port();
  }
}
