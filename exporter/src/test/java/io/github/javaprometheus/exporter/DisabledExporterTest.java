package io.github.javaprometheus.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.SettingSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code prometheus.enabled=false}, from each source of the settings model, next to a configured
 * exporter port or port range: {@link MetricsExporter#start} binds nothing, so the port stays free
 * for anyone else.
 */
class DisabledExporterTest {

  private static final String LOOPBACK = "127.0.0.1";

  @BeforeEach
  @AfterEach
  void noExporterRunning() {
    MetricsExporter.stopRunning();
  }

  /** {@code prometheus.enabled=false} in {@code source} only; {@code export} as framework keys. */
  private static PrometheusSettings disabled(
      SettingSource source, Path dir, Map<String, String> export) {
    Map<String, String> framework = new HashMap<>(export);
    framework.putAll(source.framework("prometheus.enabled", "false"));
    PrometheusSettings settings =
        PrometheusSettings.load(
            source.classLoader(dir, "prometheus.enabled", "false"),
            framework,
            source.system("prometheus.enabled", "false"),
            source.environment("PROMETHEUS_ENABLED", "false"));
    assertThat(settings.enabled()).isFalse();
    return settings;
  }

  /**
   * The control: {@code export} alone, without the switch, binds {@code expectedPort}; so the keys
   * are read and only the switch keeps the port free.
   */
  private static void withoutTheSwitchBinds(Map<String, String> export, int expectedPort)
      throws IOException {
    PrometheusSettings on =
        PrometheusSettings.load(
            ClassLoader.getPlatformClassLoader(), export, new Properties(), Map.of());
    try (MetricsExporter exporter =
        MetricsExporter.start(on, new PrometheusRegistry()).orElseThrow()) {
      assertThat(exporter.port()).isEqualTo(expectedPort);
    }
    assertFree(expectedPort);
  }

  /** Fails unless {@code port} can be bound on the loopback address now. */
  private static void assertFree(int port) throws IOException {
    try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName(LOOPBACK))) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void aConfiguredPortIsNotBound(SettingSource source, @TempDir Path dir) throws IOException {
    int port = FreePorts.next();
    Map<String, String> export =
        Map.of("prometheus.export.port", String.valueOf(port), "prometheus.export.address", LOOPBACK);
    PrometheusSettings settings = disabled(source, dir, export);
    assertThat(MetricsExporter.start(settings, new PrometheusRegistry())).isEmpty();

    assertThat(MetricsExporter.running()).isEmpty();
    assertFree(port);
    withoutTheSwitchBinds(export, port);
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void noPortOfAConfiguredRangeIsBound(SettingSource source, @TempDir Path dir)
      throws IOException {
    int first = FreePorts.firstOfConsecutive(3);
    Map<String, String> export =
        Map.of(
            "prometheus.export.port-range", first + "-" + (first + 2),
            "prometheus.export.address", LOOPBACK);
    PrometheusSettings settings = disabled(source, dir, export);
    assertThat(MetricsExporter.start(settings, new PrometheusRegistry())).isEmpty();

    assertThat(MetricsExporter.running()).isEmpty();
    for (int p = first; p <= first + 2; p++) {
      assertFree(p);
    }
    withoutTheSwitchBinds(export, first);
  }
}
