package io.github.javaprometheus.migrations;

import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The client_java on the test class path. Expectations are written per version, from what each
 * version really prints, never derived from the code under test.
 */
final class ClientJava {
  private static final String POM_PROPERTIES =
      "/META-INF/maven/io.prometheus/prometheus-metrics-model/pom.properties";

  private ClientJava() {}

  /** The version of the prometheus-metrics-model jar the tests run on. */
  static String version() {
    try (InputStream in = MetricMetadata.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException("no " + POM_PROPERTIES + " on the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether this client_java refuses metric names ending in {@code _total} (1.4.3, Spring Boot
   * 4.0's version) or accepts them for gauges (1.6.0 on; the build's default is 1.10.0).
   */
  static boolean refusesTotalInNames() {
    String version = version();
    switch (version) {
      case "1.4.3":
        return true;
      case "1.10.0":
        return false;
      default:
        throw new IllegalStateException(
            "no expectations written for client_java " + version + ": add them to ClientJava");
    }
  }
}
