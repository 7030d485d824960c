package io.github.javaprometheus.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The R4 benchmark measures hits, and its trial check catches a wrapper that miscounts. */
class CacheBenchmarkTest {

  @ParameterizedTest
  @CsvSource({
    "caffeine,getIfPresent", "caffeine,get",
    "caffeine-recordStats,getIfPresent", "caffeine-recordStats,get",
    "micrometer,getIfPresent", "micrometer,get",
    "java-prometheus,getIfPresent", "java-prometheus,get"
  })
  void everyOperationIsAHitAndTheWrapperCountsEachOne(String variant, String op) {
    CacheBenchmark b = new CacheBenchmark();
    b.variant = variant;
    b.op = op;
    b.setUp();
    for (int i = 0; i < 5000; i++) {
      assertThat(b.hit()).isEqualTo(i % 1024);
    }
    b.verifyEveryGetWasCounted();
  }

  @ParameterizedTest
  @CsvSource({"java-prometheus", "micrometer", "caffeine-recordStats"})
  void theTrialCheckFailsWhenNothingWasMeasured(String variant) {
    CacheBenchmark b = new CacheBenchmark();
    b.variant = variant;
    b.op = "get";
    b.setUp();
    assertThatThrownBy(b::verifyEveryGetWasCounted).hasMessageContaining("0 operations");
  }
}
