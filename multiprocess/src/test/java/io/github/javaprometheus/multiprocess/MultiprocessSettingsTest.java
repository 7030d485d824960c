package io.github.javaprometheus.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.PrometheusSettings;
import java.net.URL;
import java.nio.file.Path;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This module's keys, loaded and validated by core's one loader. */
class MultiprocessSettingsTest {
  private static PrometheusSettings fromEnv(String name, String value) {
    return PrometheusSettings.load(
        new URLClassLoader(new URL[0], null), Map.of(), new Properties(), Map.of(name, value));
  }

  @Test
  void theFileLayoutSettingAcceptsTheTwoPythonLayouts() {
    assertThat(PrometheusSettings.defaults().get(MultiprocessSettings.FORMAT))
        .isEqualTo(FileFormat.VALUE);
    assertThat(
            PrometheusSettings.builder()
                .set("prometheus.multiproc-format", "0.17")
                .build()
                .get(MultiprocessSettings.FORMAT))
        .isEqualTo(FileFormat.VALUE_AND_TIMESTAMP);
    assertThat(fromEnv("PROMETHEUS_MULTIPROC_FORMAT", " 0.17 ").get(MultiprocessSettings.FORMAT))
        .isEqualTo(FileFormat.VALUE_AND_TIMESTAMP);
    assertThatThrownBy(
            () -> PrometheusSettings.builder().set("prometheus.multiproc-format", "1.0").build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("prometheus.multiproc-format")
        .hasMessageContaining("expected 0.16");
  }

  @Test
  void theProcessIdSettingIsUnsetByDefaultAndNamesTheFiles(@TempDir Path dir) throws Exception {
    assertThat(PrometheusSettings.defaults().get(MultiprocessSettings.PROCESS_ID)).isNull();
    PrometheusSettings settings =
        PrometheusSettings.load(
            new URLClassLoader(new URL[0], null),
            Map.of(),
            new Properties(),
            Map.of("PROMETHEUS_MULTIPROC_DIR", dir.toString(), "PROMETHEUS_MULTIPROC_PROCESS_ID", " web-1.pod-7 "));
    assertThat(settings.get(MultiprocessSettings.PROCESS_ID)).isEqualTo("web-1.pod-7");
    MultiprocessStore store = MultiprocessStore.open(settings);
    assertThat(store.processId()).isEqualTo("web-1.pod-7");
    store.counter("java_jobs", "Jobs", new String[0]).labelValues().inc();
    assertThat(dir.resolve("counter_web-1.pod-7.db")).exists();
    assertThat(dir.resolve(".java-prometheus-web-1.pod-7.lock")).exists();
    assertThat(
            MultiprocessStore.open(
                    PrometheusSettings.builder().set("prometheus.multiproc-dir", dir.toString()).build())
                .processId())
        .isEqualTo(Long.toString(ProcessHandle.current().pid()));
  }

  @Test
  void aProcessIdThatCannotNameThePythonFilesFailsStartUpNamingTheKey() {
    for (String bad : new String[] {"web_1", "a/b", "*", "-1", ".hidden", "x".repeat(101), "caf\u00e9"}) {
      assertThatThrownBy(
              () -> PrometheusSettings.builder().set("prometheus.multiproc-process-id", bad).build())
          .as(bad)
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageStartingWith("Invalid setting prometheus.multiproc-process-id=")
          .hasMessageContaining("letters, digits, dots and dashes")
          .hasMessageContaining("no underscore");
    }
    for (String good : new String[] {"1", "web-1", "pod.ns-3", "x".repeat(100)}) {
      assertThat(
              PrometheusSettings.builder()
                  .set("prometheus.multiproc-process-id", good)
                  .build()
                  .get(MultiprocessSettings.PROCESS_ID))
          .isEqualTo(good);
    }
    assertThatThrownBy(() -> MultiprocessStore.builder(Path.of("/tmp")).processId("web_1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no underscore");
  }
}
