package io.github.javaprometheus.core;

import java.util.List;

/** A module's group as any module declares one; listed in this module's test services. */
public final class TestSettings implements SettingGroup {
  static final SettingKey<Integer> VALUE =
      SettingKey.of(
          "prometheus.test-value",
          "PROMETHEUS_TEST_VALUE",
          "3",
          Integer.class,
          "A key of the tests.",
          v -> v.asInt(1));

  @Override
  public String module() {
    return "core tests";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(VALUE);
  }
}
