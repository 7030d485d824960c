package io.github.javaprometheus.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The R3 benchmark measures what it claims: every variant answers and records every execution. */
class JdbcBenchmarkTest {
  private static final int N = 1_000;

  @ParameterizedTest
  @CsvSource({
    "none, execute", "none, prepare",
    "java-prometheus, execute", "java-prometheus, prepare",
    "datasource-proxy, execute", "datasource-proxy, prepare",
    "p6spy, execute", "p6spy, prepare",
  })
  void everyVariantAnswersAndRecordsEveryExecution(String instrumentation, String shape)
      throws Exception {
    JdbcBenchmark benchmark = new JdbcBenchmark();
    benchmark.instrumentation = instrumentation;
    benchmark.shape = shape;
    benchmark.setUp();
    JdbcInstrumentation installed = installedOf(benchmark);
    for (int i = 0; i < N; i++) {
      assertThat(benchmark.query()).isEqualTo(12);
    }
    long recorded = installed.recordedExecutions();
    assertThat(recorded).isEqualTo(instrumentation.equals("none") ? -1 : N);
    benchmark.verifyEveryExecutionWasRecorded();
  }

  private static JdbcInstrumentation installedOf(JdbcBenchmark benchmark) throws Exception {
    java.lang.reflect.Field f = JdbcBenchmark.class.getDeclaredField("installed");
    f.setAccessible(true);
    return (JdbcInstrumentation) f.get(benchmark);
  }
}
