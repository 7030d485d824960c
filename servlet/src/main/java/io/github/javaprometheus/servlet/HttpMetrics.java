package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.BoundedChild;
import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.GaugeMode;
import io.github.javaprometheus.core.HttpMethods;
import io.github.javaprometheus.core.InstrumentationErrors;
import io.github.javaprometheus.core.LabelValues;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The HTTP families of django-prometheus's middlewares, created once per registry. Label children
 * are {@link BoundedChild} handles, resolved once and kept (per method, per transport, per view,
 * per status), so recording a request is a few array reads, increments and observations, and
 * allocates nothing once a view has answered with a status.
 *
 * <p>Each family's own bound ({@code prometheus.max-label-values}) is the only one: a label set
 * past it gets the family's overflow handle, which is kept like any other and counts each use in
 * {@code <p>_label_overflow_total} (docs/behaviour.md, "Bounded labels and overflow").
 */
public final class HttpMetrics {
  static final double[] BODY_BYTES_BUCKETS = bodyBytesBuckets();
  private static final String[] STATUS_LABELS = statusLabels();
  private static final String[] TRANSPORTS = {"http", "https"};

  private final MetricFamilies families;
  private final PrometheusSettings settings;
  private final String metricsViewName;

  // "before" families
  final CounterDataPoint requestsBefore;
  final CounterDataPoint responsesBefore;
  final DistributionDataPoint latencyBefore;
  final CounterDataPoint unknownLatencyBefore;

  // "after" families without labels
  final GaugeDataPoint inflight;
  final CounterDataPoint unknownLatency;
  final CounterDataPoint ajax;
  final CounterDataPoint streaming;
  final DistributionDataPoint requestBodyBytes;
  final DistributionDataPoint responseBodyBytes;

  // "after" families with a fixed set of label values: every child resolved in the constructor
  private final BoundedChild<CounterDataPoint>[] byMethod = handles(HttpMethods.COUNT);
  private final BoundedChild<CounterDataPoint>[] byTransport = handles(TRANSPORTS.length);

  // labelled "after" families
  final BoundedFamily<CounterDataPoint> byViewTransportMethod;
  final BoundedFamily<CounterDataPoint> byTemplate;
  final BoundedFamily<CounterDataPoint> byStatus;
  final BoundedFamily<CounterDataPoint> byStatusViewMethod;
  final BoundedFamily<CounterDataPoint> byCharset;
  final BoundedFamily<DistributionDataPoint> latencyByViewMethod;
  final BoundedFamily<CounterDataPoint> exceptionsByType;
  final BoundedFamily<CounterDataPoint> exceptionsByView;

  private final StatusTable<BoundedChild<CounterDataPoint>> statuses = new StatusTable<>();
  // Memory bounds of the two caches below, not label bounds (those are the families'): see view().
  private final int kept;
  private final ConcurrentHashMap<String, ViewMetrics> views = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, BoundedChild<CounterDataPoint>> exceptionTypes =
      new ConcurrentHashMap<>();
  private final ViewMetrics unnamedView;

  private HttpMetrics(MetricFamilies f) {
    this.families = f;
    this.settings = f.settings();
    this.metricsViewName = settings.profile().metricsViewName();

    requestsBefore =
        f.counter("http_requests_before_middlewares", "Total count of requests before middlewares run.")
            .noLabels();
    responsesBefore =
        f.counter("http_responses_before_middlewares", "Total count of responses before middlewares run.")
            .noLabels();
    latencyBefore =
        f.latencyHistogram(
                "http_requests_latency_including_middlewares_seconds",
                "Histogram of requests processing time (including middleware processing time).")
            .noLabels();
    unknownLatencyBefore =
        f.counter(
                "http_requests_unknown_latency_including_middlewares",
                "Count of requests for which the latency was unknown (when computing"
                    + " http_requests_latency_including_middlewares_seconds).")
            .noLabels();

    // LIVESUM: in multiprocess mode the in-flight requests of the live processes add up.
    inflight =
        f.gauge("http_inflight_requests", "Current number of inflight requests.", GaugeMode.LIVESUM)
            .noLabels();
    unknownLatency =
        f.counter("http_requests_unknown_latency", "Count of requests for which the latency was unknown.")
            .noLabels();
    ajax = f.counter("http_ajax_requests", "Count of AJAX requests.").noLabels();
    BoundedFamily<CounterDataPoint> methods =
        f.counter("http_requests_total_by_method", "Count of requests by method.", "method");
    BoundedFamily<CounterDataPoint> transports =
        f.counter(
            "http_requests_total_by_transport", "Count of requests by transport.", "transport");
    byViewTransportMethod =
        f.counter(
            "http_requests_total_by_view_transport_method",
            "Count of requests by view, transport, method.",
            "view",
            "transport",
            "method");
    requestBodyBytes =
        f.histogram(
                "http_requests_body_total_bytes",
                "Histogram of requests by body size.",
                BODY_BYTES_BUCKETS)
            .noLabels();
    byTemplate =
        f.counter(
            "http_responses_total_by_templatename",
            "Count of responses by template name.",
            "templatename");
    byStatus = f.counter("http_responses_total_by_status", "Count of responses by status.", "status");
    byStatusViewMethod =
        f.counter(
            "http_responses_total_by_status_view_method",
            "Count of responses by status, view, method.",
            "status",
            "view",
            "method");
    responseBodyBytes =
        f.histogram(
                "http_responses_body_total_bytes",
                "Histogram of responses by body size.",
                BODY_BYTES_BUCKETS)
            .noLabels();
    byCharset =
        f.counter("http_responses_total_by_charset", "Count of responses by charset.", "charset");
    streaming =
        f.counter("http_responses_streaming", "Count of streaming responses.").noLabels();
    latencyByViewMethod =
        f.latencyHistogram(
            "http_requests_latency_seconds_by_view_method",
            "Histogram of request processing time labelled by view.",
            "view",
            "method");
    exceptionsByType =
        f.counter(
            "http_exceptions_total_by_type", "Count of exceptions by object type.", "type");
    exceptionsByView =
        f.counter("http_exceptions_total_by_view", "Count of exceptions by view.", "view");

    for (int i = 0; i < HttpMethods.COUNT; i++) {
      byMethod[i] = methods.child(HttpMethods.label(i));
    }
    for (int i = 0; i < TRANSPORTS.length; i++) {
      byTransport[i] = transports.child(TRANSPORTS[i]);
    }
    kept = settings.maxLabelValues();
    unnamedView = new ViewMetrics(this, LabelValues.UNNAMED_VIEW);
  }

  /** The HTTP families on the factory's registry. */
  public static HttpMetrics create(MetricFamilies families) {
    return new HttpMetrics(families);
  }

  /** The settings the families were made with. */
  public PrometheusSettings settings() {
    return settings;
  }

  /** The {@code view} label value of the metrics endpoint in this profile. */
  public String metricsViewName() {
    return metricsViewName;
  }

  InstrumentationErrors errors() {
    return families.errors();
  }

  /** The child of {@code http_requests_total_by_method} for a {@link HttpMethods} index. */
  BoundedChild<CounterDataPoint> method(int method) {
    return byMethod[method];
  }

  /** The child of {@code http_requests_total_by_transport}: 0 http, 1 https. */
  BoundedChild<CounterDataPoint> transport(int transport) {
    return byTransport[transport];
  }

  ViewMetrics unnamedView() {
    return unnamedView;
  }

  /**
   * The kept handles of a view. At most {@code max-label-values} views are kept, which bounds
   * memory without bounding labels: every request of a kept view resolves a child in the requests,
   * responses and latency families, so once that many views are kept those families are full and
   * any further view gets their overflow children anyway. Such a view is resolved again on each of
   * its requests (through the families, which decide its labels), not kept.
   */
  ViewMetrics view(String name) {
    ViewMetrics v = views.get(name);
    if (v != null) {
      return v;
    }
    if (views.size() < kept) {
      return views.computeIfAbsent(name, n -> new ViewMetrics(this, n));
    }
    return new ViewMetrics(this, name);
  }

  /** The child of {@code http_responses_total_by_status}; kept for the codes 0..999. */
  BoundedChild<CounterDataPoint> status(int code) {
    BoundedChild<CounterDataPoint> c = statuses.get(code);
    if (c == null) {
      c = statuses.keep(code, byStatus.child(statusLabel(code)));
    }
    return c;
  }

  static String statusLabel(int code) {
    return code >= 0 && code < STATUS_LABELS.length ? STATUS_LABELS[code] : Integer.toString(code);
  }

  /** The child of a charset: the family's own map is the cache (a lookup by string, no copy). */
  BoundedChild<CounterDataPoint> charset(String charset) {
    return byCharset.child(charset);
  }

  /** The child of a template name, looked up like {@link #charset}. */
  BoundedChild<CounterDataPoint> template(String name) {
    return byTemplate.child(name);
  }

  /** The child of an exception type, by its simple name; kept per class (see {@link #view}). */
  BoundedChild<CounterDataPoint> exceptionType(Class<?> type) {
    BoundedChild<CounterDataPoint> c = exceptionTypes.get(type);
    if (c == null) {
      String name = type.getSimpleName();
      c = exceptionsByType.child(name.isEmpty() ? type.getName() : name);
      if (exceptionTypes.size() < kept) {
        BoundedChild<CounterDataPoint> raced = exceptionTypes.putIfAbsent(type, c);
        if (raced != null) {
          c = raced;
        }
      }
    }
    return c;
  }

  @SuppressWarnings("unchecked")
  private static BoundedChild<CounterDataPoint>[] handles(int n) {
    return (BoundedChild<CounterDataPoint>[]) new BoundedChild<?>[n];
  }

  private static double[] bodyBytesBuckets() {
    // django-prometheus: 0, then powers of two up to 2^29
    double[] b = new double[31];
    b[0] = 0;
    for (int i = 0; i <= 29; i++) {
      b[i + 1] = Math.pow(2, i);
    }
    return b;
  }

  private static String[] statusLabels() {
    String[] labels = new String[StatusTable.LIMIT];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = Integer.toString(i);
    }
    return labels;
  }

  /**
   * The handles of one view, each resolved on first use and kept: by transport and method, by
   * method (latency), by status and method, and its exceptions. An overflow handle is kept too: it
   * counts its uses itself.
   */
  static final class ViewMetrics {
    private final HttpMetrics m;
    final String name;
    private final AtomicReferenceArray<BoundedChild<CounterDataPoint>> byTransportMethod =
        new AtomicReferenceArray<>(TRANSPORTS.length * HttpMethods.COUNT);
    private final AtomicReferenceArray<BoundedChild<DistributionDataPoint>> latencyByMethod =
        new AtomicReferenceArray<>(HttpMethods.COUNT);
    private final StatusTable<AtomicReferenceArray<BoundedChild<CounterDataPoint>>> byStatus =
        new StatusTable<>();
    private volatile BoundedChild<CounterDataPoint> exceptions;

    ViewMetrics(HttpMetrics m, String name) {
      this.m = m;
      this.name = name;
    }

    BoundedChild<CounterDataPoint> requests(int transport, int method) {
      int i = transport * HttpMethods.COUNT + method;
      BoundedChild<CounterDataPoint> c = byTransportMethod.get(i);
      if (c == null) {
        c = m.byViewTransportMethod.child(name, TRANSPORTS[transport], HttpMethods.label(method));
        byTransportMethod.set(i, c);
      }
      return c;
    }

    BoundedChild<DistributionDataPoint> latency(int method) {
      BoundedChild<DistributionDataPoint> d = latencyByMethod.get(method);
      if (d == null) {
        d = m.latencyByViewMethod.child(name, HttpMethods.label(method));
        latencyByMethod.set(method, d);
      }
      return d;
    }

    BoundedChild<CounterDataPoint> exceptions() {
      BoundedChild<CounterDataPoint> c = exceptions;
      if (c == null) {
        c = m.exceptionsByView.child(name);
        exceptions = c;
      }
      return c;
    }

    /** The child of {@code http_responses_total_by_status_view_method}; kept for codes 0..999. */
    BoundedChild<CounterDataPoint> responses(int status, int method) {
      AtomicReferenceArray<BoundedChild<CounterDataPoint>> row = byStatus.get(status);
      if (row == null) {
        row = byStatus.keep(status, new AtomicReferenceArray<>(HttpMethods.COUNT));
      }
      BoundedChild<CounterDataPoint> c = row.get(method);
      if (c == null) {
        c = m.byStatusViewMethod.child(statusLabel(status), name, HttpMethods.label(method));
        row.set(method, c);
      }
      return c;
    }
  }
}
