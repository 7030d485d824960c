package io.github.javaprometheus.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.Tools;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The shipped dashboards and rules against a real Prometheus scraping two demo instances (their
 * exporter ports) and one instance's application-port {@code /metrics}, with a known traffic mix:
 * 4xx on a named view, 5xx, database errors, cache misses, a pending migration, label overflow.
 * Every panel and variable query answers with data, every recording rule has data, and the alerts
 * the mix calls for are active. A renamed family fails here, listing the queries that went empty.
 *
 * <p>Instance A runs with native histograms (Prometheus, with its native-histograms feature, then
 * stores those only), instance B with classic ones, a pending migration (the demo's V1 held back by a Flyway target, so
 * its table is missing and {@code /myview2/} and {@code /users/x/} fail in the database) and {@code
 * max-label-values=2}. A fourth target is a closed port.
 */
class ShippedMonitoringIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Alerts the mix makes active; their {@code for:} is minutes, so pending counts. */
  private static final Set<String> EXPECTED_ALERTS =
      Set.of(
          "JavaPrometheusHigh5xxRatio",
          "JavaPrometheusHigh4xxRatio",
          "JavaPrometheusDatabaseErrors",
          "JavaPrometheusUnappliedMigrations",
          "JavaPrometheusLabelOverflow",
          "JavaPrometheusTargetDown");

  private static ServerProcess demo(Path dir, int app, int exporter, Map<String, String> env) throws Exception {
    Files.createDirectories(dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path jar = Path.of(System.getProperty("demo.jar"));
    assertThat(jar).exists();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--server.port=" + app, "--server.address=127.0.0.1"));
    if (env.containsKey("args")) {
      cmd.addAll(List.of(env.get("args").split(" ")));
    }
    ServerProcess.Builder b =
        ServerProcess.command(cmd)
            .directory(dir)
            .environment("PROMETHEUS_METRICS_EXPORT_PORT", String.valueOf(exporter))
            .environment("PROMETHEUS_METRICS_EXPORT_ADDRESS", "127.0.0.1")
            .readyWhen(Probe.tcp("127.0.0.1", app))
            .startTimeout(Duration.ofSeconds(120));
    env.forEach((k, v) -> {
      if (!k.equals("args")) {
        b.environment(k, v);
      }
    });
    return b.start();
  }

  private static int get(int port, String path) {
    try {
      return CLIENT
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(path + ": " + e, e);
    }
  }

  private static JsonNode api(int port, String path) throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode json = Shipped.parse(r.body());
    assertThat(json.get("status").asString()).withFailMessage("%s -> %s", path, r.body()).isEqualTo("success");
    return json.get("data");
  }

  private static int resultCount(int port, String promql) throws Exception {
    return api(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result").size();
  }

  @Test
  @SuppressWarnings("try")
  void everyPanelQueryAndRuleAnswersAndTheMixsAlertsAreActive(@TempDir Path dir) throws Exception {
    int appA = FreePorts.next(), exporterA = FreePorts.next();
    int appB = FreePorts.next(), exporterB = FreePorts.next();
    int closed = FreePorts.next();
    int prometheusPort = FreePorts.next();
    // B's migrations: a no-op V0.1, then the demo's own V1, held back by target 0.1.
    Path migrations = Files.createDirectories(dir.resolve("b-migrations"));
    Files.writeString(migrations.resolve("V0_1__nothing.sql"), "SELECT 1;\n");
    Files.copy(
        Shipped.ROOT.resolve("../demo/src/main/resources/db/migration/V1__create_t_user.sql"),
        migrations.resolve("V1__create_t_user.sql"));
    try (ServerProcess a = demo(dir.resolve("a"), appA, exporterA, Map.of("PROMETHEUS_NATIVE_HISTOGRAMS", "true"));
        ServerProcess b =
            demo(
                dir.resolve("b"),
                appB,
                exporterB,
                Map.of("PROMETHEUS_MAX_LABEL_VALUES", "2", "args",
                    "--spring.flyway.locations=filesystem:" + migrations + " --spring.flyway.target=0.1"))) {
      String config =
          "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
              + "rule_files:\n  - " + Shipped.RULES + "\n"
              + "scrape_configs:\n"
              + "  - job_name: demo\n    static_configs:\n      - targets: ['127.0.0.1:" + exporterA + "', '127.0.0.1:" + exporterB + "']\n"
              + "  - job_name: demo-app-port\n    static_configs:\n      - targets: ['127.0.0.1:" + appA + "']\n"
              + "  - job_name: gone\n    static_configs:\n      - targets: ['127.0.0.1:" + closed + "']\n";
      Path file = dir.resolve("prometheus.yml");
      Files.writeString(file, config);
      AtomicBoolean traffic = new AtomicBoolean(true);
      Thread load =
          new Thread(
              () -> {
                int round = 0;
                while (traffic.get()) {
                  round++;
                  // A: 5 of 9 answers are 404 on the named view /users/{id}/ (each a cache miss),
                  // 1 is a 500.
                  assertThat(get(appA, "/myview/")).isEqualTo(200);
                  for (int i = 0; i < 5; i++) {
                    assertThat(get(appA, "/users/nobody-" + round + "-" + i + "/")).isEqualTo(404);
                  }
                  assertThat(get(appA, "/boom/")).isEqualTo(500);
                  assertThat(get(appA, "/myview3/")).isEqualTo(200);
                  assertThat(get(appA, "/myview2/")).isEqualTo(200);
                  // B: its table was never created: the database views fail.
                  assertThat(get(appB, "/myview2/")).isEqualTo(500);
                  assertThat(get(appB, "/users/x/")).isEqualTo(500);
                  assertThat(get(appB, "/boom/")).isEqualTo(500);
                  assertThat(get(appB, "/myview/")).isEqualTo(200);
                  assertThat(get(appB, "/myview3/")).isEqualTo(200);
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "traffic");
      load.setDaemon(true);
      load.start();
      try (ServerProcess prometheus =
          ServerProcess.command(
                  Tools.require("prometheus").toString(),
                  "--config.file=" + file,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--enable-feature=native-histograms",
                  "--web.listen-address=127.0.0.1:" + prometheusPort)
              .readyWhen(Probe.http("http://127.0.0.1:" + prometheusPort + "/-/ready"))
              .startTimeout(Duration.ofSeconds(60))
              .start()) {
        Map<String, Boolean> answers = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<String> empty;
        Set<String> activeAlerts;
        do {
          Thread.sleep(1000);
          answers.clear();
          for (Shipped.Query q : Shipped.queries()) {
            answers.put(q + "  " + q.expr(), resultCount(prometheusPort, Shipped.resolved(q.expr())) > 0);
          }
          for (JsonNode group : api(prometheusPort, "/api/v1/rules").get("groups")) {
            for (JsonNode rule : group.get("rules")) {
              assertThat(rule.get("health").asString()).as(rule.get("name").asString()).isNotEqualTo("err");
              if (rule.get("type").asString().equals("recording")) {
                String name = rule.get("name").asString();
                answers.put("rule " + name, resultCount(prometheusPort, name) > 0);
              }
            }
          }
          empty = answers.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
          activeAlerts = new TreeSet<>();
          for (JsonNode alert : api(prometheusPort, "/api/v1/alerts").get("alerts")) {
            activeAlerts.add(alert.get("labels").get("alertname").asString());
          }
        } while ((!empty.isEmpty() || !activeAlerts.containsAll(EXPECTED_ALERTS)) && System.nanoTime() - deadline < 0);
        traffic.set(false);
        StringBuilder report = new StringBuilder("Queries and whether they answered:\n");
        answers.forEach((q, ok) -> report.append(ok ? "  data     " : "  NO DATA  ").append(q).append('\n'));
        System.out.println(report);
        assertThat(empty).withFailMessage("%s%nprometheus:%n%s", report, prometheus.output()).isEmpty();
        assertThat(activeAlerts).withFailMessage("active: %s%n%s", activeAlerts, report).containsAll(EXPECTED_ALERTS);
        // The mix never triggers these: the pool is not saturated, no request waits for a
        // connection, the in-process cache does not fail, the library does not fail, and the
        // views answer well within the latency SLO.
        assertThat(activeAlerts)
            .doesNotContain(
                "JavaPrometheusConnectionPoolSaturated",
                "JavaPrometheusConnectionTimeouts",
                "JavaPrometheusCacheFailures",
                "JavaPrometheusInstrumentationErrors");
      } finally {
        traffic.set(false);
        load.join(10_000);
      }
    }
  }
}
