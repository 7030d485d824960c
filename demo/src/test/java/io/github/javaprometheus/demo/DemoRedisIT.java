package io.github.javaprometheus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.cache.RedisServer;
import io.github.javaprometheus.testing.TextScrape;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's Redis configuration, switched on by settings only (environment variables, as a
 * deployment would), on the packaged jar against a real redis-server.
 */
class DemoRedisIT {
  private static final String VIEW3 = "io.github.javaprometheus.demo.DemoController.myView3";

  @Test
  void myView3CountsItsGetsUnderBackendRedisAndAStoppedServerFailsTheView(
      @TempDir Path dir) throws Exception {
    try (RedisServer redis = RedisServer.started();
        DemoJar demo =
            new DemoJar(
                dir,
                Map.of(
                    "SPRING_CACHE_TYPE", "redis",
                    "SPRING_DATA_REDIS_HOST", redis.host(),
                    "SPRING_DATA_REDIS_PORT", String.valueOf(redis.port()),
                    "SPRING_DATA_REDIS_TIMEOUT", "700ms"))) {
      assertThat(demo.get("/myview3/")).isEqualTo("zhangsan");
      assertThat(demo.get("/myview3/")).isEqualTo("zhangsan");
      TextScrape scrape = demo.awaitResponses("java", 2);
      assertThat(scrape.samplesStartingWith("java_cache_get"))
          .containsExactlyInAnyOrder(
              "java_cache_get_total{backend=\"redis\",cache=\"default\"} 2.0",
              "java_cache_get_hits_total{backend=\"redis\",cache=\"default\"} 2.0",
              "java_cache_get_misses_total{backend=\"redis\",cache=\"default\"} 0.0",
              "java_cache_get_fail_total{backend=\"redis\",cache=\"default\"} 0.0");

      // Redis goes away mid-run.
      redis.stop();
      // The view fails as it would without the library (500, Lettuce's timeout, translated).
      assertThat(demo.send("/myview3/").statusCode()).isEqualTo(500);
      TextScrape after = demo.awaitResponses("java", 3);
      assertThat(after.value("java_http_exceptions_total_by_view_total{view=\"" + VIEW3 + "\"}"))
          .isEqualTo(1.0);
      // myView3 puts, then gets. Which of the two meets the stopped server first is Lettuce's
      // (observed both: a put can still be accepted while the connection is torn down, and then
      // the get fails), so the get-fail count is open between 0 and 1; whichever it is, the
      // counts must agree with it exactly and no hit or miss may be invented.
      double failed = after.value("java_cache_get_fail_total{backend=\"redis\",cache=\"default\"}");
      assertThat(failed).isIn(0.0, 1.0);
      assertThat(after.samplesStartingWith("java_cache_get"))
          .containsExactlyInAnyOrder(
              "java_cache_get_total{backend=\"redis\",cache=\"default\"} " + (2.0 + failed),
              "java_cache_get_hits_total{backend=\"redis\",cache=\"default\"} 2.0",
              "java_cache_get_misses_total{backend=\"redis\",cache=\"default\"} 0.0",
              "java_cache_get_fail_total{backend=\"redis\",cache=\"default\"} " + failed);
    }
  }
}
