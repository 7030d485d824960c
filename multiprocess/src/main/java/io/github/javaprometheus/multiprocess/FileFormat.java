package io.github.javaprometheus.multiprocess;

import io.github.javaprometheus.core.InvalidSettingException;

/**
 * The layout of an entry's value in the files, named after the Python prometheus_client versions
 * that use it. Both are read (each file's layout is recognised); the store writes one, set with
 * {@code prometheus.multiproc-format}.
 */
public enum FileFormat {
  /**
   * One 8-byte double per entry: prometheus_client up to 0.16 (Debian 12's
   * python3-prometheus-client 0.16.0). The default.
   */
  VALUE("0.16", 8),
  /**
   * An 8-byte double value and an 8-byte double timestamp (Unix seconds) per entry:
   * prometheus_client 0.17 and later. Needed for the {@code mostrecent} gauge modes.
   */
  VALUE_AND_TIMESTAMP("0.17", 16);

  private final String setting;
  final int valueBytes;

  FileFormat(String setting, int valueBytes) {
    this.setting = setting;
    this.valueBytes = valueBytes;
  }

  /** The value of {@code prometheus.multiproc-format} that selects this layout. */
  public String setting() {
    return setting;
  }

  /** The layout for a {@code prometheus.multiproc-format} value ({@code 0.16} or {@code 0.17}). */
  public static FileFormat fromSetting(String value) {
    for (FileFormat f : values()) {
      if (f.setting.equals(value)) {
        return f;
      }
    }
    throw new InvalidSettingException(
        "prometheus.multiproc-format", value, "expected 0.16 or 0.17");
  }

  FileFormat other() {
    return this == VALUE ? VALUE_AND_TIMESTAMP : VALUE;
  }
}
