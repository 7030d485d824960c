package io.github.javaprometheus.core;

import java.util.List;

/**
 * The settings keys one module owns. Each module lists its group in {@code
 * META-INF/services/io.github.javaprometheus.core.SettingGroup}; {@link PrometheusSettings} finds
 * every group on the class path and loads and validates all their keys together, so there is one
 * loader and one set of error messages, and a key is unknown only when no module present owns it.
 * Read a module's values with {@link PrometheusSettings#get(SettingKey)}.
 */
public interface SettingGroup {
  /** The module, for messages and documentation (e.g. {@code java-prometheus-jdbc}). */
  String module();

  /** The module's keys. */
  List<SettingKey<?>> keys();
}
