package io.github.javaprometheus.multiprocess;

import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import java.util.List;

/**
 * The key of the multiprocess files' layout; the directory itself ({@code
 * prometheus.multiproc-dir}) is core's, which decides where values are stored.
 */
public final class MultiprocessSettings implements SettingGroup {

  public static final SettingKey<FileFormat> FORMAT =
      SettingKey.of(
          "prometheus.multiproc-format",
          "PROMETHEUS_MULTIPROC_FORMAT",
          FileFormat.VALUE.setting(),
          String.class,
          "Layout of the multiprocess files written: 0.16 (one value per entry: Python"
              + " prometheus_client up to 0.16) or 0.17 (value and timestamp: 0.17 and later).",
          v -> {
            for (FileFormat f : FileFormat.values()) {
              if (f.setting().equals(v.trimmed())) {
                return f;
              }
            }
            throw v.invalid(
                "expected 0.16 (one value per entry: Python prometheus_client up to 0.16) or 0.17"
                    + " (value and timestamp: prometheus_client 0.17 and later)");
          });

  @Override
  public String module() {
    return "java-prometheus-multiprocess";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(FORMAT);
  }
}
