package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.PrometheusSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads the settings model from a Spring {@code Environment}: the {@code prometheus.*} keys of its
 * property sources as framework properties, and its own system-properties and system-environment
 * sources (which are the JVM's unless a test or the application replaced them) as the model's
 * system properties and environment variables; {@code prometheus.properties} from the
 * application's class loader.
 */
final class EnvironmentSettings {
  private EnvironmentSettings() {}

  static PrometheusSettings load(Environment environment, ClassLoader classLoader) {
    Properties system = new Properties();
    Map<String, String> variables = new LinkedHashMap<>();
    boolean haveSystem = false;
    boolean haveVariables = false;
    if (environment instanceof ConfigurableEnvironment) {
      MutablePropertySources sources = ((ConfigurableEnvironment) environment).getPropertySources();
      PropertySource<?> sys =
          sources.get(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
      if (sys instanceof EnumerablePropertySource) {
        haveSystem = true;
        for (String key : ((EnumerablePropertySource<?>) sys).getPropertyNames()) {
          Object value = sys.getProperty(key);
          if (value != null) {
            system.setProperty(key, String.valueOf(value));
          }
        }
      }
      PropertySource<?> env =
          sources.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
      if (env instanceof EnumerablePropertySource) {
        haveVariables = true;
        for (String key : ((EnumerablePropertySource<?>) env).getPropertyNames()) {
          Object value = env.getProperty(key);
          if (value != null) {
            variables.put(key, String.valueOf(value));
          }
        }
      }
    }
    return PrometheusSettings.load(
        classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader(),
        prometheusProperties(environment),
        haveSystem ? system : System.getProperties(),
        haveVariables ? variables : System.getenv());
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
