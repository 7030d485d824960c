package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.PrometheusSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Reads the {@code prometheus.*} keys of the Spring {@code Environment} into the settings model. */
final class EnvironmentSettings {
  private EnvironmentSettings() {}

  static PrometheusSettings load(Environment environment) {
    return PrometheusSettings.load(prometheusProperties(environment));
  }

  /**
   * Every {@code prometheus.*} key from the application's property sources. System properties and
   * environment variables are left out: the settings model reads them itself, after these.
   */
  static Map<String, String> prometheusProperties(Environment environment) {
    Map<String, String> result = new LinkedHashMap<>();
    if (!(environment instanceof ConfigurableEnvironment)) {
      return result;
    }
    for (PropertySource<?> source : ((ConfigurableEnvironment) environment).getPropertySources()) {
      String name = source.getName();
      if (!(source instanceof EnumerablePropertySource)
          || StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(name)
          || StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(name)) {
        continue;
      }
      for (String key : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
        if (key.startsWith("prometheus.") && !result.containsKey(key)) {
          // Sources are in precedence order: the first one holding a key wins, as in Spring.
          String value = environment.getProperty(key);
          result.put(key, value == null ? "" : value);
        }
      }
    }
    return result;
  }
}
