package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.MetricFamilies;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * The outermost filter, django-prometheus's {@code PrometheusBeforeMiddleware}: counts requests and
 * responses and observes the latency including every other filter. Register it first, for the
 * {@code REQUEST} and {@code ASYNC} dispatcher types.
 */
public final class PrometheusBeforeFilter implements Filter {
  private HttpMetrics metrics;
  private boolean off;
  private ExcludedPaths excluded;

  /** Records into the given families. */
  public PrometheusBeforeFilter(HttpMetrics metrics) {
    setUp(metrics);
  }

  /**
   * For containers that instantiate filters themselves ({@code web.xml}): records into {@link
   * MetricFamilies#defaults()}, what a framework installed or else settings from the usual sources.
   */
  public PrometheusBeforeFilter() {}

  @Override
  public void init(FilterConfig filterConfig) {
    if (metrics == null) {
      setUp(MetricFamilies.defaults().component(HttpMetrics.class, HttpMetrics::create));
    }
  }

  private void setUp(HttpMetrics m) {
    this.metrics = m;
    this.off = !m.settings().enabled();
    this.excluded = new ExcludedPaths(m.settings().get(HttpSettings.EXCLUDE_PATHS));
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (off) {
      // prometheus.enabled=false: the request goes on untouched, as without the filter.
      chain.doFilter(request, response);
      return;
    }
    if (request.getDispatcherType() != DispatcherType.REQUEST
        || !(request instanceof HttpServletRequest)
        || excluded.matches((HttpServletRequest) request, metrics.errors())) {
      chain.doFilter(request, response);
      return;
    }
    long start = System.nanoTime();
    try {
      metrics.requestsBefore.inc();
    } catch (RuntimeException | LinkageError e) {
      metrics.errors().record("http", e);
    }
    try {
      chain.doFilter(request, response);
    } finally {
      try {
        if (request.isAsyncStarted()) {
          request.getAsyncContext().addListener(new Completion(metrics, start));
        } else {
          record(metrics, start);
        }
      } catch (RuntimeException | LinkageError e) {
        metrics.errors().record("http", e);
      }
    }
  }

  /**
   * Latency first, the response count last: a reader that sees the response counted (a test
   * waiting on it, a scrape) also sees its latency observation.
   */
  static void record(HttpMetrics metrics, long start) {
    metrics.latencyBefore.observe((System.nanoTime() - start) / 1e9);
    metrics.responsesBefore.inc();
  }

  /** Records an async request when it completes, however it completes. */
  private static final class Completion implements AsyncListener {
    private final HttpMetrics metrics;
    private final long start;

    Completion(HttpMetrics metrics, long start) {
      this.metrics = metrics;
      this.start = start;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      try {
        record(metrics, start);
      } catch (RuntimeException | LinkageError e) {
        metrics.errors().record("http", e);
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      // A new async cycle on the same request: stay registered for its completion.
      event.getAsyncContext().addListener(this);
    }
  }
}
