package io.github.javaprometheus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The sources of the settings model, each able to carry one setting, for tests that prove a
 * setting counts whichever source it comes from. A test passes {@link #classLoader}, {@link
 * #framework}, {@link #system} and {@link #environment} to {@code PrometheusSettings.load(...)}:
 * exactly one of them carries the setting.
 */
public enum SettingSource {
  /** {@code prometheus.properties} at the root of the class path. */
  PROPERTIES_FILE,
  /** A framework's own properties (Spring's {@code Environment}, ...). */
  FRAMEWORK,
  /** A JVM system property. */
  SYSTEM_PROPERTY,
  /** An environment variable, named as the settings model names it ({@code PROMETHEUS_ENABLED}). */
  ENVIRONMENT;

  /**
   * A class loader whose {@code prometheus.properties} holds the setting when this is {@link
   * #PROPERTIES_FILE}, written into {@code dir}; otherwise one that finds no such file there.
   */
  public ClassLoader classLoader(Path dir, String key, String value) {
    // Parent: the platform loader, so the test's own class path cannot lend a properties file.
    return classLoader(dir, key, value, ClassLoader.getPlatformClassLoader());
  }

  /**
   * As {@link #classLoader(Path, String, String)}, in front of {@code parent} (a framework's
   * context needs the application's classes; the parent must hold no {@code prometheus.properties}).
   */
  public ClassLoader classLoader(Path dir, String key, String value, ClassLoader parent) {
    if (parent.getResource("prometheus.properties") != null) {
      throw new IllegalStateException(
          "the parent class loader has a prometheus.properties of its own: "
              + parent.getResource("prometheus.properties"));
    }
    try {
      Path root = Files.createDirectories(dir.resolve("classpath-" + name().toLowerCase(Locale.ROOT)));
      if (this == PROPERTIES_FILE) {
        Files.writeString(root.resolve("prometheus.properties"), key + "=" + value + "\n");
      }
      return new URLClassLoader(new URL[] {root.toUri().toURL()}, parent);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Framework properties: the setting when this is {@link #FRAMEWORK}. */
  public Map<String, String> framework(String key, String value) {
    return this == FRAMEWORK ? Map.of(key, value) : Map.of();
  }

  /** System properties: the setting when this is {@link #SYSTEM_PROPERTY}. */
  public Properties system(String key, String value) {
    Properties p = new Properties();
    if (this == SYSTEM_PROPERTY) {
      p.setProperty(key, value);
    }
    return p;
  }

  /** Environment variables: {@code variable=value} when this is {@link #ENVIRONMENT}. */
  public Map<String, String> environment(String variable, String value) {
    return this == ENVIRONMENT ? Map.of(variable, value) : Map.of();
  }
}
