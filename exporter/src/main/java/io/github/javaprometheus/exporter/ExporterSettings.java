package io.github.javaprometheus.exporter;

import io.github.javaprometheus.core.PortRange;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import java.util.List;

/** The keys of the dedicated exporter port, named after django-prometheus's. */
public final class ExporterSettings implements SettingGroup {

  public static final SettingKey<Integer> PORT =
      SettingKey.of(
          "prometheus.export.port",
          "PROMETHEUS_METRICS_EXPORT_PORT",
          null,
          Integer.class,
          "The dedicated exporter port (0 picks any free port); unset: no exporter.",
          v -> {
            if (v.isBlank()) {
              return null;
            }
            try {
              int port = Integer.parseInt(v.trimmed());
              if (port >= 0 && port <= 65535) {
                return port;
              }
            } catch (NumberFormatException e) {
              // the error below says what is allowed
            }
            throw v.invalid("expected a port number 0-65535 (0 picks any free port)");
          });

  public static final SettingKey<PortRange> PORT_RANGE =
      SettingKey.of(
          "prometheus.export.port-range",
          "PROMETHEUS_METRICS_EXPORT_PORT_RANGE",
          null,
          String.class,
          "A range first-last of exporter ports, the first free one is bound (several processes"
              + " on one host); wins over prometheus.export.port.",
          v -> {
            if (v.isBlank()) {
              return null;
            }
            String allowed = "expected first-last with 1 <= first <= last <= 65535, e.g. 8001-8050";
            String[] parts = v.trimmed().split("-", -1);
            if (parts.length != 2) {
              throw v.invalid(allowed);
            }
            try {
              return PortRange.of(
                  Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (IllegalArgumentException e) {
              throw v.invalid(allowed);
            }
          });

  public static final SettingKey<String> ADDRESS =
      SettingKey.of(
          "prometheus.export.address",
          "PROMETHEUS_METRICS_EXPORT_ADDRESS",
          "0.0.0.0",
          String.class,
          "The address the exporter port binds.",
          v -> {
            if (v.isBlank()) {
              throw v.invalid("expected a host name or IP address to bind, e.g. 0.0.0.0");
            }
            return v.trimmed();
          });

  /** Whether a dedicated exporter port is configured. */
  public static boolean configured(PrometheusSettings settings) {
    return settings.get(PORT) != null || settings.get(PORT_RANGE) != null;
  }

  @Override
  public String module() {
    return "java-prometheus-exporter";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(PORT, PORT_RANGE, ADDRESS);
  }
}
