package io.github.javaprometheus.benchmarks;

import jakarta.servlet.Filter;
import java.util.List;

/**
 * One way of instrumenting a servlet application, as {@link HttpFilterBenchmark} compares them:
 * the filters it installs and what it counted. Each implementation owns a fresh registry.
 */
interface HttpInstrumentation {

  /** The filters to install, outermost first; empty for the uninstrumented baseline. */
  List<Filter> filters();

  /**
   * The number of requests this instrumentation recorded, read from its own Prometheus
   * exposition; -1 when it records nothing.
   */
  long recordedRequests();

  /** The instrumentation named by the benchmark parameter. */
  static HttpInstrumentation create(String name) {
    switch (name) {
      case "none":
        return new NoInstrumentation();
      case "micrometer":
        return new MicrometerInstrumentation();
      case "java-prometheus":
        return new JavaPrometheusInstrumentation();
      default:
        throw new IllegalArgumentException(
            "unknown instrumentation " + name + "; expected none, micrometer or java-prometheus");
    }
  }
}
