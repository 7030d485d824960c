package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.BoundedChild;
import io.github.javaprometheus.core.HttpMethods;
import io.github.javaprometheus.core.LabelValues;
import io.github.javaprometheus.core.MetricFamilies;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
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
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The innermost filter, django-prometheus's {@code PrometheusAfterMiddleware}: requests by method,
 * transport and view; responses by status, view, template and charset; body sizes; latency by view
 * and method; exceptions by type and view. Register it last, for the {@code REQUEST} and {@code
 * ASYNC} dispatcher types.
 *
 * <p>One latency observation per request, also when the handler throws (the exception is re-thrown
 * unchanged and the response counted with status 500 unless it was already committed). Async
 * requests (Servlet async, {@code DeferredResult}, {@code StreamingResponseBody}) are recorded when
 * they complete.
 */
public final class PrometheusAfterFilter implements Filter {
  /**
   * Request attribute holding the rendered template/view name; set by framework integrations (or
   * the application) and counted in {@code http_responses_total_by_templatename}.
   */
  public static final String TEMPLATE_NAME_ATTRIBUTE =
      PrometheusAfterFilter.class.getName() + ".templateName";

  /**
   * Request attribute holding the {@link ResolvedView} a framework integration resolved (a JAX-RS
   * resource method, say); it wins over the {@link ViewResolver}s. Set it with {@link
   * #setView(ServletRequest, ResolvedView)}.
   */
  public static final String VIEW_ATTRIBUTE = PrometheusAfterFilter.class.getName() + ".view";

  /**
   * Request attribute holding the exceptions a handler raised and the framework turned into a
   * response; record them with {@link #recordHandledException(ServletRequest, Throwable)}.
   */
  public static final String HANDLED_EXCEPTIONS_ATTRIBUTE =
      PrometheusAfterFilter.class.getName() + ".handledExceptions";

  /** More handled exceptions than this on one request are not kept (a resolver loop, say). */
  private static final int MAX_HANDLED_PER_REQUEST = 4;

  private static final String ASYNC_FAILURE_ATTRIBUTE =
      PrometheusAfterFilter.class.getName() + ".asyncFailure";
  private static final int HTTP = 0;
  private static final int HTTPS = 1;

  private HttpMetrics metrics;
  private boolean off;
  private ExcludedPaths excluded;
  private ViewResolver[] resolvers;
  private BoundedChild<CounterDataPoint> unknownTemplate;
  private boolean countHandled;

  /** Records into the given families, asking the resolvers in order which view served a request. */
  public PrometheusAfterFilter(HttpMetrics metrics, List<? extends ViewResolver> viewResolvers) {
    setUp(metrics, viewResolvers);
  }

  /** Records into the given families; views are servlet classes. */
  public PrometheusAfterFilter(HttpMetrics metrics) {
    this(metrics, List.of());
  }

  /**
   * For containers that instantiate filters themselves ({@code web.xml}): records into {@link
   * MetricFamilies#defaults()}, what a framework installed or else settings from the usual sources.
   */
  public PrometheusAfterFilter() {}

  @Override
  public void init(FilterConfig filterConfig) {
    if (metrics == null) {
      setUp(MetricFamilies.defaults().component(HttpMetrics.class, HttpMetrics::create), List.of());
    }
  }

  private void setUp(HttpMetrics m, List<? extends ViewResolver> viewResolvers) {
    this.metrics = m;
    this.off = !m.settings().enabled();
    this.excluded = new ExcludedPaths(m.settings().get(HttpSettings.EXCLUDE_PATHS));
    List<ViewResolver> all = new ArrayList<>(viewResolvers);
    all.add(new ServletViewResolver(m.metricsViewName()));
    this.resolvers = all.toArray(new ViewResolver[0]);
    this.unknownTemplate = m.template(LabelValues.UNKNOWN_TEMPLATE);
    this.countHandled = m.settings().get(HttpSettings.COUNT_HANDLED_EXCEPTIONS);
  }

  /**
   * Tells the filter which view served this request; for framework integrations that route behind
   * one servlet. Pass the same instance for every request of a handler.
   */
  public static void setView(ServletRequest request, ResolvedView view) {
    request.setAttribute(VIEW_ATTRIBUTE, view);
  }

  /**
   * Records an exception the handler raised that the framework turned into a response (an {@code
   * @ExceptionHandler}, a JAX-RS {@code ExceptionMapper}), so that it is counted like a thrown one.
   * Recording the same exception twice, or recording it and then letting it escape to the filter
   * (also inside a wrapper of the framework's), counts it once, under the recorded type. {@code
   * ServletException} wrappers are looked through.
   */
  public static void recordHandledException(ServletRequest request, Throwable exception) {
    if (exception == null) {
      return;
    }
    Throwable raised = rootCause(exception);
    Object held = request.getAttribute(HANDLED_EXCEPTIONS_ATTRIBUTE);
    if (held == null) {
      request.setAttribute(HANDLED_EXCEPTIONS_ATTRIBUTE, raised);
      return;
    }
    Throwable[] kept = handled(held);
    for (Throwable t : kept) {
      if (t == raised) {
        return;
      }
    }
    if (kept.length >= MAX_HANDLED_PER_REQUEST) {
      return;
    }
    Throwable[] more = Arrays.copyOf(kept, kept.length + 1);
    more[kept.length] = raised;
    request.setAttribute(HANDLED_EXCEPTIONS_ATTRIBUTE, more);
  }

  private static Throwable[] handled(Object held) {
    if (held instanceof Throwable) {
      return new Throwable[] {(Throwable) held};
    }
    if (held instanceof Throwable[]) {
      return (Throwable[]) held;
    }
    return new Throwable[0];
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (off) {
      // prometheus.enabled=false: the request goes on untouched, as without the filter.
      chain.doFilter(request, response);
      return;
    }
    DispatcherType dispatch = request.getDispatcherType();
    if (dispatch == DispatcherType.ASYNC) {
      try {
        chain.doFilter(request, response);
      } catch (Throwable t) {
        // Reported to the completion listener of the original request.
        request.setAttribute(ASYNC_FAILURE_ATTRIBUTE, t);
        throw t;
      }
      return;
    }
    if (dispatch != DispatcherType.REQUEST
        || !(request instanceof HttpServletRequest)
        || !(response instanceof HttpServletResponse)
        || excluded.matches((HttpServletRequest) request, metrics.errors())) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest http = (HttpServletRequest) request;
    long start = System.nanoTime();
    int method = HttpMethods.index(http.getMethod());
    int transport = http.isSecure() ? HTTPS : HTTP;
    MeteredResponse metered;
    try {
      recordRequest(http, method, transport);
      metered = new MeteredResponse((HttpServletResponse) response);
    } catch (RuntimeException | LinkageError e) {
      metrics.errors().record("http", e);
      chain.doFilter(request, response);
      return;
    }
    Throwable failure = null;
    try {
      chain.doFilter(request, metered);
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      try {
        if (failure == null && http.isAsyncStarted()) {
          http.getAsyncContext().addListener(new Completion(http, metered, method, transport, start));
        } else {
          recordResponse(http, metered, method, transport, start, failure, false, metered.bytes());
        }
      } catch (RuntimeException | LinkageError e) {
        metrics.errors().record("http", e);
      }
    }
  }

  private void recordRequest(HttpServletRequest http, int method, int transport) {
    HttpMetrics m = metrics;
    m.method(method).get().inc();
    m.transport(transport).get().inc();
    if ("XMLHttpRequest".equals(http.getHeader("x-requested-with"))) {
      m.ajax.inc();
    }
    long length = http.getContentLengthLong();
    m.requestBodyBytes.observe(length > 0 ? length : 0);
    m.inflight.inc();
  }

  private void recordResponse(
      HttpServletRequest http,
      MeteredResponse response,
      int method,
      int transport,
      long start,
      Throwable failure,
      boolean async,
      long bodyBytes) {
    HttpMetrics m = metrics;
    m.inflight.dec();
    double seconds = (System.nanoTime() - start) / 1e9;
    ResolvedView resolved = resolveView(http, response);
    HttpMetrics.ViewMetrics view =
        resolved == null ? m.unnamedView() : m.view(resolved.name());
    view.requests(transport, method).get().inc();

    int status =
        failure == null || response.isCommitted()
            ? response.getStatus()
            : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
    m.status(status).get().inc();
    view.responses(status, method).get().inc();

    Object template = http.getAttribute(TEMPLATE_NAME_ATTRIBUTE);
    (template == null ? unknownTemplate : m.template(template.toString())).get().inc();
    String charset = response.getCharacterEncoding();
    if (charset != null) {
      m.charset(charset).get().inc();
    }
    if ((resolved != null && resolved.streaming()) || (async && !response.lengthDeclared())) {
      m.streaming.inc();
    }
    m.responseBodyBytes.observe(bodyBytes);
    Throwable thrown = failure == null ? null : rootCause(failure);
    Object handled = countHandled ? http.getAttribute(HANDLED_EXCEPTIONS_ATTRIBUTE) : null;
    if (handled != null) {
      for (Throwable t : handled(handled)) {
        countException(m, view, t);
        if (thrown != null && inCauseChain(failure, t)) {
          // Recorded, then re-thrown (perhaps inside a framework's wrapper): one exception, and
          // the type is the one the handler raised.
          thrown = null;
        }
      }
    }
    if (thrown != null) {
      countException(m, view, thrown);
    }
    view.latency(method).get().observe(seconds);
  }

  /** Whether {@code cause} is {@code t} or one of its causes (a bounded walk: chains can loop). */
  private static boolean inCauseChain(Throwable t, Throwable cause) {
    Throwable current = t;
    for (int depth = 0; current != null && depth < 32; depth++) {
      if (current == cause) {
        return true;
      }
      current = current.getCause();
    }
    return false;
  }

  private static void countException(HttpMetrics m, HttpMetrics.ViewMetrics view, Throwable t) {
    m.exceptionType(t.getClass()).get().inc();
    view.exceptions().get().inc();
  }

  private ResolvedView resolveView(HttpServletRequest http, HttpServletResponse response) {
    Object set = http.getAttribute(VIEW_ATTRIBUTE);
    if (set instanceof ResolvedView) {
      return (ResolvedView) set;
    }
    for (ViewResolver r : resolvers) {
      ResolvedView v;
      try {
        v = r.resolve(http, response);
      } catch (RuntimeException | LinkageError e) {
        metrics.errors().record("http", e);
        continue;
      }
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** Frameworks wrap handler exceptions in ServletException; the type that counts is the handler's. */
  static Throwable rootCause(Throwable t) {
    Throwable current = t;
    while (current instanceof ServletException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /** Records an async request once, when it completes. */
  private final class Completion implements AsyncListener {
    private final HttpServletRequest request;
    private final MeteredResponse response;
    private final int method;
    private final int transport;
    private final long start;
    private Throwable failure;

    Completion(
        HttpServletRequest request, MeteredResponse response, int method, int transport, long start) {
      this.request = request;
      this.response = response;
      this.method = method;
      this.transport = transport;
      this.start = start;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      try {
        Throwable t = failure;
        if (t == null) {
          Object attr = request.getAttribute(ASYNC_FAILURE_ATTRIBUTE);
          t = attr instanceof Throwable ? (Throwable) attr : null;
        }
        long bytes = response.bytes();
        if (event.getAsyncContext() != null
            && event.getAsyncContext().hasOriginalRequestAndResponse()) {
          // startAsync() without arguments: the body went to the container's response directly.
          bytes = Math.max(bytes, ContainerBytes.written(response.getResponse()));
        }
        recordResponse(request, response, method, transport, start, t, true, bytes);
      } catch (RuntimeException | LinkageError e) {
        metrics.errors().record("http", e);
      }
    }

    @Override
    public void onError(AsyncEvent event) {
      if (failure == null) {
        failure = event.getThrowable();
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
