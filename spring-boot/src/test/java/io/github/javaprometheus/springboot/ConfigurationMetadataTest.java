package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.core.SettingKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Spring configuration metadata IDEs complete {@code prometheus.*} keys from is exactly the
 * settings model: every key of every module (all are on this module's class path, as in an
 * application with the starter), its type, default and description. Written from the keys
 * themselves, so a key added to a module without updating the file fails here; the expected file
 * is left in {@code target/} to copy over {@code src/main/resources/META-INF}.
 */
class ConfigurationMetadataTest {
  private static final String RESOURCE = "/META-INF/spring-configuration-metadata.json";

  @Test
  void theMetadataListsEveryKeyOfTheSettingsModel() throws IOException {
    String expected = expectedMetadata();
    Files.writeString(
        Path.of("target", "expected-spring-configuration-metadata.json"), expected);
    String actual;
    try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(RESOURCE)) {
      assertThat(in).as(RESOURCE).isNotNull();
      actual = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void everyModuleOfTheStarterContributesItsKeys() {
    assertThat(PrometheusSettings.defaults().keys())
        .extracting(SettingKey::key)
        .contains(
            "prometheus.enabled", // core
            "prometheus.metrics-path", // servlet
            "prometheus.export.port", // exporter
            "prometheus.multiproc-format", // multiprocess
            "prometheus.jdbc-metrics", // jdbc
            "prometheus.model-metrics", // jpa
            "prometheus.export-migrations", // migrations
            "prometheus.jdbc-aliases"); // spring-boot
  }

  /** The README's settings table: one row per key of the model, with its environment variable. */
  @Test
  void theReadmeSettingsTableHasEveryKeyAndNoOther() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    java.util.Set<String> rows = new java.util.TreeSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^\\| `(prometheus\\.[a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\|")
            .matcher(readme);
    while (m.find()) {
      rows.add(m.group(1) + " " + m.group(2));
    }
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (SettingKey<?> key : PrometheusSettings.defaults().keys()) {
      keys.add(key.key() + " " + key.environmentVariable());
    }
    assertThat(rows).isEqualTo(keys);
  }

  static String expectedMetadata() {
    StringBuilder b = new StringBuilder();
    b.append("{\n  \"groups\": [\n    {\n      \"name\": \"prometheus\",\n")
        .append("      \"description\": \"java-prometheus settings (also read from")
        .append(" prometheus.properties, system properties and PROMETHEUS_* environment")
        .append(" variables).\"\n    }\n  ],\n  \"properties\": [\n");
    boolean first = true;
    for (SettingKey<?> key : PrometheusSettings.defaults().keys()) {
      b.append(first ? "" : ",\n");
      first = false;
      b.append("    {\n      \"name\": ").append(json(key.key())).append(",\n");
      b.append("      \"type\": ").append(json(key.type().getName())).append(",\n");
      b.append("      \"description\": ")
          .append(json(key.description() + " Environment variable: " + key.environmentVariable() + "."));
      String d = key.defaultValue();
      if (d != null) {
        b.append(",\n      \"defaultValue\": ");
        if (key.type() == Boolean.class || key.type() == Integer.class) {
          b.append(d);
        } else {
          b.append(json(d));
        }
      }
      b.append("\n    }");
    }
    return b.append("\n  ]\n}\n").toString();
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }
}
