package io.github.javaprometheus.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.SettingSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code prometheus.enabled=false}, from each source of the settings model, next to a {@code
 * prometheus.multiproc-dir}: the families write no file into the directory and register nothing,
 * however much they are observed.
 */
class DisabledMultiprocessTest {

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @ParameterizedTest
  @EnumSource(SettingSource.class)
  void familiesWriteNoFileAndRegisterNothing(SettingSource source, @TempDir Path dir)
      throws IOException {
    Path multiproc = Files.createDirectory(dir.resolve("multiproc"));
    Map<String, String> framework = new HashMap<>();
    framework.put("prometheus.multiproc-dir", multiproc.toString());
    framework.putAll(source.framework("prometheus.enabled", "false"));
    PrometheusSettings settings =
        PrometheusSettings.load(
            source.classLoader(dir, "prometheus.enabled", "false"),
            framework,
            source.system("prometheus.enabled", "false"),
            source.environment("PROMETHEUS_ENABLED", "false"));
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.multiprocDir()).isEqualTo(multiproc.toString());
    PrometheusRegistry registry = new PrometheusRegistry();

    MetricFamilies families = MetricFamilies.create(settings, registry);
    families.counter("requests", "Requests by view", "view").label("/a").inc(3);
    families.counter("plain", "No labels").noLabels().inc();
    families.latencyHistogram("latency", "Latency by view", "view").label("/a").observe(0.2);
    families.gauge("in_flight", "In flight", GaugeMode.LIVESUM, "view").label("/a").set(2);
    families.gauge("local", "Held by this process").set(5);
    families.registerJvmMetrics();

    assertThat(files(multiproc)).isEmpty();
    assertThat(registry.scrape().size()).isZero();
  }
}
