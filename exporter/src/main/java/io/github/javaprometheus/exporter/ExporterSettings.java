package io.github.javaprometheus.exporter;

import io.github.javaprometheus.core.PortRange;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.core.Secret;
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

  public static final SettingKey<String> TLS_KEYSTORE =
      SettingKey.of(
          "prometheus.export.tls.keystore",
          "PROMETHEUS_METRICS_EXPORT_TLS_KEYSTORE",
          null,
          String.class,
          "Path of the keystore (PKCS#12 by default) holding the exporter's TLS key and"
              + " certificate; set: the exporter serves HTTPS only.",
          v -> v.isBlank() ? null : v.trimmed());

  public static final SettingKey<Secret> TLS_KEYSTORE_PASSWORD =
      SettingKey.of(
          "prometheus.export.tls.keystore-password",
          "PROMETHEUS_METRICS_EXPORT_TLS_KEYSTORE_PASSWORD",
          null,
          String.class,
          "Password of the exporter's keystore (and of its key).",
          v -> v.text() == null ? null : Secret.of(v.text()));

  public static final SettingKey<String> TLS_KEYSTORE_TYPE =
      SettingKey.of(
          "prometheus.export.tls.keystore-type",
          "PROMETHEUS_METRICS_EXPORT_TLS_KEYSTORE_TYPE",
          "PKCS12",
          String.class,
          "Type of the exporter's keystore and truststore: PKCS12 or JKS.",
          v -> {
            String t = v.trimmed().toUpperCase(java.util.Locale.ROOT);
            if (!t.equals("PKCS12") && !t.equals("JKS")) {
              throw v.invalid("expected PKCS12 or JKS");
            }
            return t;
          });

  public static final SettingKey<String> TLS_TRUSTSTORE =
      SettingKey.of(
          "prometheus.export.tls.truststore",
          "PROMETHEUS_METRICS_EXPORT_TLS_TRUSTSTORE",
          null,
          String.class,
          "Path of the truststore of the certificates (or their CAs) that clients may present;"
              + " for prometheus.export.tls.client-auth.",
          v -> v.isBlank() ? null : v.trimmed());

  public static final SettingKey<Secret> TLS_TRUSTSTORE_PASSWORD =
      SettingKey.of(
          "prometheus.export.tls.truststore-password",
          "PROMETHEUS_METRICS_EXPORT_TLS_TRUSTSTORE_PASSWORD",
          null,
          String.class,
          "Password of the exporter's truststore.",
          v -> v.text() == null ? null : Secret.of(v.text()));

  /** Whether the exporter asks clients for a certificate. */
  public enum ClientAuth {
    /** Not asked. */
    NONE,
    /** Asked; a client without one is still served. */
    WANT,
    /** Required: a client without a trusted certificate cannot connect. */
    NEED
  }

  public static final SettingKey<ClientAuth> TLS_CLIENT_AUTH =
      SettingKey.of(
          "prometheus.export.tls.client-auth",
          "PROMETHEUS_METRICS_EXPORT_TLS_CLIENT_AUTH",
          "none",
          String.class,
          "Client certificates on the exporter's TLS: none, want or need (needs a truststore).",
          v -> {
            switch (v.trimmed().toLowerCase(java.util.Locale.ROOT)) {
              case "none":
                return ClientAuth.NONE;
              case "want":
                return ClientAuth.WANT;
              case "need":
                return ClientAuth.NEED;
              default:
                throw v.invalid("expected none, want or need");
            }
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
    return List.of(
        PORT,
        PORT_RANGE,
        ADDRESS,
        TLS_KEYSTORE,
        TLS_KEYSTORE_PASSWORD,
        TLS_KEYSTORE_TYPE,
        TLS_TRUSTSTORE,
        TLS_TRUSTSTORE_PASSWORD,
        TLS_CLIENT_AUTH);
  }
}
