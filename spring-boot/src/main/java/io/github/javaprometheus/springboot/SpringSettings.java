package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keys only Spring Boot applications have: they speak of beans. */
public final class SpringSettings implements SettingGroup {

  /** The {@code alias} label by {@code DataSource} bean name. */
  public static final SettingKey<Map<String, String>> JDBC_ALIASES =
      SettingKey.of(
          "prometheus.jdbc-aliases",
          "PROMETHEUS_JDBC_ALIASES",
          "",
          String.class,
          "The alias label of each DataSource bean, as beanName=alias pairs, e.g."
              + " dataSource=main,ordersDataSource=orders (default: the bean name, default for the"
              + " primary one).",
          v -> {
            if (v.isBlank()) {
              return Collections.emptyMap();
            }
            Map<String, String> aliases = new LinkedHashMap<>();
            for (String pair : v.text().split(",")) {
              if (pair.isBlank()) {
                continue;
              }
              int eq = pair.indexOf('=');
              String bean = eq < 0 ? "" : pair.substring(0, eq).trim();
              String alias = eq < 0 ? "" : pair.substring(eq + 1).trim();
              if (bean.isEmpty() || alias.isEmpty() || aliases.containsKey(bean)) {
                throw v.invalid(
                    "expected comma-separated beanName=alias pairs, each bean once, e.g."
                        + " dataSource=main,ordersDataSource=orders");
              }
              aliases.put(bean, alias);
            }
            return Collections.unmodifiableMap(aliases);
          });

  @Override
  public String module() {
    return "java-prometheus-spring-boot";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(JDBC_ALIASES);
  }
}
