package io.github.javaprometheus.multiprocess;

import io.github.javaprometheus.core.SettingGroup;
import io.github.javaprometheus.core.SettingKey;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The keys of the multiprocess files' layout and of this process's id in their names; the
 * directory itself ({@code prometheus.multiproc-dir}) is core's, which decides where values are
 * stored.
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

  /**
   * What a process id may be: it is part of file names ({@code gauge_livesum_<id>.db}), which
   * Python's collector splits on {@code _} and {@code mark_process_dead} globs, so no underscore,
   * no glob or path characters; at most 100 characters (names stay under 255 bytes).
   */
  static final Pattern PROCESS_ID_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");

  static final String PROCESS_ID_ALLOWED =
      "expected 1 to 100 letters, digits, dots and dashes, starting with a letter or digit (the id"
          + " is part of the file names, gauge_livesum_<id>.db, and the pid label of all/liveall"
          + " gauges; no underscore: Python's collector splits file names on it)";

  public static final SettingKey<String> PROCESS_ID =
      SettingKey.of(
          "prometheus.multiproc-process-id",
          "PROMETHEUS_MULTIPROC_PROCESS_ID",
          null,
          String.class,
          "Id of this process in the multiprocess file names (counter_<id>.db) and in the pid label"
              + " of all/liveall gauges; unset: the OS process id. Set a distinct one per process"
              + " when processes in their own pid namespaces (containers that all have pid 1)"
              + " share a directory.",
          v -> {
            if (v.isBlank()) {
              return null;
            }
            String id = v.trimmed();
            if (!PROCESS_ID_PATTERN.matcher(id).matches()) {
              throw v.invalid(PROCESS_ID_ALLOWED);
            }
            return id;
          });

  @Override
  public String module() {
    return "java-prometheus-multiprocess";
  }

  @Override
  public List<SettingKey<?>> keys() {
    return List.of(FORMAT, PROCESS_ID);
  }
}
