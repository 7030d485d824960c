package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.cache.RedisServer;
import io.github.javaprometheus.core.TextScrape;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's Redis configuration, switched on by settings only (environment variables, as a
 * deployment would), on the packaged jar against a real redis-server.
 */
class DemoRedisIT {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void myView3CountsItsGetsUnderBackendRedisAndAStoppedServerAsFailures(@TempDir Path dir)
      throws Exception {
    Path jar = Path.of(System.getProperty("demo.jar", "target/java-prometheus-demo.jar"));
    assertThat(jar).exists();
    try (RedisServer redis = RedisServer.started()) {
      int appPort = Tools.freePort();
      int exporterPort = Tools.freePort();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=" + appPort)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("demo.log").toFile());
      pb.environment().put("PROMETHEUS_METRICS_EXPORT_PORT", String.valueOf(exporterPort));
      pb.environment().put("SPRING_CACHE_TYPE", "redis");
      pb.environment().put("SPRING_DATA_REDIS_HOST", redis.host());
      pb.environment().put("SPRING_DATA_REDIS_PORT", String.valueOf(redis.port()));
      pb.environment().put("SPRING_DATA_REDIS_TIMEOUT", "700ms");
      Process demo = pb.start();
      try {
        assertThat(awaitBody("http://127.0.0.1:" + appPort + "/myview3/", demo, dir))
            .isEqualTo("zhangsan");
        assertThat(get("http://127.0.0.1:" + appPort + "/myview3/")).isEqualTo("zhangsan");
        TextScrape scrape = TextScrape.parse(get("http://127.0.0.1:" + exporterPort + "/metrics"));
        assertThat(scrape.samplesStartingWith("java_cache_get"))
            .containsExactlyInAnyOrder(
                "java_cache_get_total{backend=\"redis\",cache=\"default\"} 2.0",
                "java_cache_get_hits_total{backend=\"redis\",cache=\"default\"} 2.0",
                "java_cache_get_misses_total{backend=\"redis\",cache=\"default\"} 0.0",
                "java_cache_get_fail_total{backend=\"redis\",cache=\"default\"} 0.0");

        // Redis goes away mid-run.
        redis.stop();
        HttpResponse<String> failed =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/myview3/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        // The view fails as it would without the library (500, Lettuce's timeout, translated).
        assertThat(failed.statusCode()).isEqualTo(500);
        TextScrape after = TextScrape.parse(get("http://127.0.0.1:" + exporterPort + "/metrics"));
        assertThat(
                after.value(
                    "java_http_exceptions_total_by_view_total{view=\"io.github.javaprometheus.demo.DemoController.myView3\"}"))
            .isEqualTo(1.0);
        // Its put may fail before the get is tried; a get that was tried is a failure, never a
        // hit or a miss.
        double gets = after.value("java_cache_get_total{backend=\"redis\",cache=\"default\"}");
        assertThat(gets).isBetween(2.0, 3.0);
        assertThat(after.value("java_cache_get_hits_total{backend=\"redis\",cache=\"default\"}"))
            .isEqualTo(2.0);
        assertThat(after.value("java_cache_get_misses_total{backend=\"redis\",cache=\"default\"}"))
            .isEqualTo(0.0);
        assertThat(after.value("java_cache_get_fail_total{backend=\"redis\",cache=\"default\"}"))
            .isEqualTo(gets - 2);
      } finally {
        demo.destroy();
        demo.waitFor();
      }
    }
  }

  private String get(String url) throws Exception {
    return client
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private String awaitBody(String url, Process demo, Path dir) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline && demo.isAlive()) {
      try {
        return get(url);
      } catch (java.io.IOException notYet) {
        Thread.sleep(200);
      }
    }
    File log = dir.resolve("demo.log").toFile();
    throw new AssertionError(
        "demo did not come up:\n" + (log.exists() ? Files.readString(log.toPath()) : ""));
  }
}
