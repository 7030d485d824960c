package io.github.javaprometheus.exporter;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.core.Secret;
import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import io.github.javaprometheus.core.SettingValue;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The keys of {@link MetricsPusher}: pushing the registry to a Prometheus Pushgateway, for batch
 * jobs that end before Prometheus scrapes them.
 */
public final class PushgatewaySettings implements SettingGroup {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+(:[0-9]{1,5})?");

  /** Where the Pushgateway is: its scheme (http or https) and {@code host[:port][/path]}. */
  public static final class Address {
    private final boolean https;
    private final String hostPortPath;

    Address(boolean https, String hostPortPath) {
      this.https = https;
      this.hostPortPath = hostPortPath;
    }

    /** Whether the Pushgateway is reached over HTTPS. */
    public boolean https() {
      return https;
    }

    /** {@code host[:port][/path]}, as client_java's {@code PushGateway.Builder.address} takes it. */
    public String hostPortPath() {
      return hostPortPath;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Address
          && ((Address) o).https == https
          && ((Address) o).hostPortPath.equals(hostPortPath);
    }

    @Override
    public int hashCode() {
      return hostPortPath.hashCode() * 31 + (https ? 1 : 0);
    }

    /** {@code http://host:port/path} or {@code https://…}. */
    @Override
    public String toString() {
      return (https ? "https://" : "http://") + hostPortPath;
    }
  }

  public static final SettingKey<Address> ADDRESS =
      SettingKey.of(
          "prometheus.pushgateway.address",
          "PROMETHEUS_PUSHGATEWAY_ADDRESS",
          null,
          String.class,
          "The Pushgateway the registry is pushed to at exit (and every"
              + " prometheus.pushgateway.interval): host:port, or an http:// or https:// URL,"
              + " e.g. pushgateway:9091; unset: nothing is pushed.",
          PushgatewaySettings::address);

  public static final SettingKey<String> JOB =
      SettingKey.of(
          "prometheus.pushgateway.job",
          "PROMETHEUS_PUSHGATEWAY_JOB",
          null,
          String.class,
          "The job label of the pushed group; in Spring Boot spring.application.name when unset,"
              + " elsewhere required with an address.",
          v -> v.isBlank() ? null : v.trimmed());

  public static final SettingKey<Map<String, String>> GROUPING_KEY =
      SettingKey.of(
          "prometheus.pushgateway.grouping-key",
          "PROMETHEUS_PUSHGATEWAY_GROUPING_KEY",
          "",
          String.class,
          "More labels of the pushed group besides job, as name=value pairs, e.g."
              + " instance=batch-1,env=prod.",
          PushgatewaySettings::groupingKey);

  public static final SettingKey<Duration> INTERVAL =
      SettingKey.of(
          "prometheus.pushgateway.interval",
          "PROMETHEUS_PUSHGATEWAY_INTERVAL",
          null,
          String.class,
          "Seconds between pushes while the job runs, e.g. 30; unset: one push, at exit.",
          v -> v.isBlank() ? null : seconds(v));

  public static final SettingKey<Duration> TIMEOUT =
      SettingKey.of(
          "prometheus.pushgateway.timeout",
          "PROMETHEUS_PUSHGATEWAY_TIMEOUT",
          "5",
          String.class,
          "Seconds a push may take (connect and read timeouts); the push at exit waits no longer,"
              + " so an unreachable Pushgateway delays the end of the job by at most this.",
          PushgatewaySettings::seconds);

  public static final SettingKey<String> USERNAME =
      SettingKey.of(
          "prometheus.pushgateway.username",
          "PROMETHEUS_PUSHGATEWAY_USERNAME",
          null,
          String.class,
          "User of HTTP basic auth on the Pushgateway (with prometheus.pushgateway.password).",
          v -> {
            if (v.isBlank()) {
              return null;
            }
            if (v.trimmed().indexOf(':') >= 0) {
              throw v.invalid("a basic auth user name cannot contain ':'");
            }
            return v.trimmed();
          });

  public static final SettingKey<Secret> PASSWORD =
      SettingKey.of(
          "prometheus.pushgateway.password",
          "PROMETHEUS_PUSHGATEWAY_PASSWORD",
          null,
          String.class,
          "Password of HTTP basic auth on the Pushgateway, in plain text (it is sent to the"
              + " Pushgateway); never logged.",
          v -> v.text() == null || v.text().isEmpty() ? null : Secret.of(v.text()));

  public static final SettingKey<String> TLS_TRUSTSTORE =
      SettingKey.of(
          "prometheus.pushgateway.tls.truststore",
          "PROMETHEUS_PUSHGATEWAY_TLS_TRUSTSTORE",
          null,
          String.class,
          "Keystore file (PKCS#12 or JKS) of the certificates trusted for an https Pushgateway;"
              + " unset: the JVM's default trust.",
          v -> v.isBlank() ? null : v.trimmed());

  public static final SettingKey<Secret> TLS_TRUSTSTORE_PASSWORD =
      SettingKey.of(
          "prometheus.pushgateway.tls.truststore-password",
          "PROMETHEUS_PUSHGATEWAY_TLS_TRUSTSTORE_PASSWORD",
          null,
          String.class,
          "Password of prometheus.pushgateway.tls.truststore.",
          v -> v.text() == null ? null : Secret.of(v.text()));

  /** Whether a Pushgateway address is set (and the library enabled). */
  public static boolean configured(PrometheusSettings settings) {
    return settings.enabled() && settings.get(ADDRESS) != null;
  }

  @Override
  public String module() {
    return "java-prometheus-exporter";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(
        ADDRESS,
        JOB,
        GROUPING_KEY,
        INTERVAL,
        TIMEOUT,
        USERNAME,
        PASSWORD,
        TLS_TRUSTSTORE,
        TLS_TRUSTSTORE_PASSWORD);
  }

  // ---- parsers ----

  private static Address address(SettingValue v) {
    if (v.isBlank()) {
      return null;
    }
    String allowed =
        "expected host:port or an http:// or https:// URL of the Pushgateway, e.g."
            + " pushgateway:9091 or https://pushgateway.example.com";
    String text = v.trimmed();
    String lower = text.toLowerCase(Locale.ROOT);
    boolean https = lower.startsWith("https://");
    if (!https && !lower.startsWith("http://") && lower.contains("://")) {
      throw v.invalid("the scheme must be http or https; " + allowed);
    }
    URI uri;
    try {
      uri = new URI(lower.contains("://") ? text : "http://" + text);
    } catch (URISyntaxException e) {
      throw v.invalid(allowed);
    }
    String authority = uri.getRawAuthority();
    if (uri.getRawUserInfo() != null || (authority != null && authority.indexOf('@') >= 0)) {
      // The value may hold a password: name the key only.
      throw v.invalidSecret(
          "credentials cannot be part of the address; set prometheus.pushgateway.username and"
              + " prometheus.pushgateway.password");
    }
    if (authority == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw v.invalid(allowed);
    }
    // java.net.URI leaves host null for names it does not accept as such (push_gateway, a Docker
    // service name); client_java's URL accepts them, so only their shape is checked here.
    if (uri.getHost() == null && !HOST_PORT.matcher(authority).matches()) {
      throw v.invalid(allowed);
    }
    int colon = authority.lastIndexOf(':');
    if (colon > authority.lastIndexOf(']')) {
      String port = authority.substring(colon + 1);
      if (port.isEmpty() || port.length() > 5 || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65535) {
        throw v.invalid("the port must be 1-65535; " + allowed);
      }
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Address(https, authority + path);
  }

  private static Map<String, String> groupingKey(SettingValue v) {
    if (v.isBlank()) {
      return Collections.emptyMap();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : v.text().split(",", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
      String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
      String allowed =
          "expected comma-separated name=value pairs, e.g. instance=batch-1,env=prod";
      if (eq < 0 || value.isEmpty()) {
        throw v.invalid(allowed + "; '" + pair.trim() + "' has no value");
      }
      if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
        throw v.invalid(
            allowed + "; '" + name + "' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not __…)");
      }
      if (name.equals("job")) {
        throw v.invalid(allowed + "; job is set by prometheus.pushgateway.job");
      }
      if (labels.put(name, value) != null) {
        throw v.invalid(allowed + "; '" + name + "' is given twice");
      }
    }
    return Collections.unmodifiableMap(labels);
  }

  private static Duration seconds(SettingValue v) {
    String allowed = "expected a number of seconds > 0 and <= 86400, e.g. 30 or 0.5";
    BigDecimal s;
    try {
      s = new BigDecimal(v.trimmed());
    } catch (NumberFormatException e) {
      throw v.invalid(allowed);
    }
    if (s.compareTo(BigDecimal.ZERO) <= 0 || s.compareTo(BigDecimal.valueOf(86400)) > 0) {
      throw v.invalid(allowed);
    }
    long millis = s.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    return Duration.ofMillis(millis);
  }
}
