package io.github.javaprometheus.core;

import java.util.List;

/**
 * The keys that protect the metrics endpoints (the application port's {@code /metrics} and the
 * dedicated exporter port): basic auth with a hashed password, and a network allow-list. Open by
 * default, as django-prometheus.
 */
public final class AccessSettings implements SettingGroup {

  public static final SettingKey<String> USERNAME =
      SettingKey.of(
          "prometheus.auth.username",
          "PROMETHEUS_AUTH_USERNAME",
          null,
          String.class,
          "Basic auth user name of the metrics endpoints; needs password-sha256 or"
              + " password-pbkdf2. Unset: no authentication.",
          v -> {
            if (v.isBlank()) {
              return null;
            }
            String name = v.trimmed();
            if (name.indexOf(':') >= 0) {
              throw v.invalid("a basic auth user name cannot contain ':'");
            }
            return name;
          });

  public static final SettingKey<PasswordHash> PASSWORD_SHA256 =
      SettingKey.of(
          "prometheus.auth.password-sha256",
          "PROMETHEUS_AUTH_PASSWORD_SHA256",
          null,
          String.class,
          "SHA-256 of the basic auth password, 64 hex digits (printf %s \"$PASSWORD\" |"
              + " sha256sum); the password itself is never configured.",
          v -> v.isBlank() ? null : PasswordHash.sha256(v));

  public static final SettingKey<PasswordHash> PASSWORD_PBKDF2 =
      SettingKey.of(
          "prometheus.auth.password-pbkdf2",
          "PROMETHEUS_AUTH_PASSWORD_PBKDF2",
          null,
          String.class,
          "Salted PBKDF2 of the basic auth password, pbkdf2-sha256:<iterations>:<salt>:<hash> as"
              + " printed by java -cp java-prometheus-core.jar"
              + " io.github.javaprometheus.core.PasswordHash.",
          v -> v.isBlank() ? null : PasswordHash.pbkdf2(v));

  public static final SettingKey<Networks> ALLOWED_NETWORKS =
      SettingKey.of(
          "prometheus.allowed-networks",
          "PROMETHEUS_ALLOWED_NETWORKS",
          "",
          String.class,
          "Comma-separated IPv4/IPv6 addresses or CIDR networks allowed to read the metrics"
              + " endpoints (others get 403), e.g. 10.0.0.0/8,::1; empty: any.",
          Networks::parse);

  public static final SettingKey<Networks> TRUSTED_PROXIES =
      SettingKey.of(
          "prometheus.trusted-proxies",
          "PROMETHEUS_TRUSTED_PROXIES",
          "",
          String.class,
          "Comma-separated addresses or CIDR networks of proxies whose X-Forwarded-For is"
              + " believed for prometheus.allowed-networks; empty: the socket's address only.",
          Networks::parse);

  @Override
  public String module() {
    return "java-prometheus-core";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(USERNAME, PASSWORD_SHA256, PASSWORD_PBKDF2, ALLOWED_NETWORKS, TRUSTED_PROXIES);
  }
}
