package io.github.javaprometheus.benchmarks;

import jakarta.servlet.Filter;
import java.util.List;

/** The baseline: the request goes straight to the handler. */
final class NoInstrumentation implements HttpInstrumentation {

  @Override
  public List<Filter> filters() {
    return List.of();
  }

  @Override
  public long recordedRequests() {
    return -1;
  }
}
