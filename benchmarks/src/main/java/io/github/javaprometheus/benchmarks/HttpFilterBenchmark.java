package io.github.javaprometheus.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import jakarta.servlet.ServletException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DESIGN §8 R1/R2: the cost of one instrumented request, both HTTP filters and all families, side
 * by side with the peer in one run. Each variant serves {@code GET /myview/} (Host, User-Agent,
 * Accept) through a filter chain ending in a handler that writes {@code hello} as {@code
 * text/plain;charset=UTF-8}:
 *
 * <ul>
 *   <li>{@code none}: the chain and the handler only, the baseline;
 *   <li>{@code micrometer}: Spring's {@code ServerHttpObservationFilter} over a Micrometer {@code
 *       PrometheusMeterRegistry}, as Spring Boot Actuator installs it;
 *   <li>{@code java-prometheus}: {@code PrometheusBeforeFilter} outermost, {@code
 *       PrometheusAfterFilter} innermost, on a fresh {@code PrometheusRegistry}.
 * </ul>
 *
 * <p>Our overhead is {@code java-prometheus} minus {@code none}, in ns/op and in {@code
 * gc.alloc.rate.norm} (B/op). At the end of each trial the variant's own exposition must show
 * exactly as many requests as the handler served, or the run fails.
 *
 * <p>Run it from the repository root:
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar HttpFilterBenchmark -prof gc -f 1 -wi 3 -i 5 -t 1
 * </pre>
 *
 * <p>State is per thread (the mock request and response are not thread-safe), so {@code -t N}
 * measures N independent applications, not contention on one registry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HttpFilterBenchmark {

  @Param({"none", "micrometer", "java-prometheus"})
  public String instrumentation;

  /** How the handler writes its body: {@code stream} as Spring MVC's message converters, {@code writer} as templates. */
  @Param({"stream", "writer"})
  public String body;

  /**
   * {@code reused}: one request/response pair for every request (isolates the filters); {@code
   * fresh}: a new pair per request, as a container hands them out (the mocks' own cost is in the
   * {@code none} row of the same shape).
   */
  @Param({"reused", "fresh"})
  public String pair;

  private HttpInstrumentation installed;
  private Exchange exchange;

  @Setup(Level.Trial)
  public void setUp() {
    installed = HttpInstrumentation.create(instrumentation);
    exchange = new Exchange(installed.filters(), body.equals("stream"), pair.equals("fresh"));
  }

  @Benchmark
  public int request() throws IOException, ServletException {
    return exchange.serve();
  }

  /** Fails the trial when the instrumentation did not record every request the handler served. */
  @TearDown(Level.Trial)
  public void verifyEveryRequestWasRecorded() {
    long served = exchange.served();
    long recorded = installed.recordedRequests();
    if (served == 0 || (recorded >= 0 && recorded != served)) {
      throw new IllegalStateException(
          instrumentation + " recorded " + recorded + " of " + served + " requests");
    }
  }
}
