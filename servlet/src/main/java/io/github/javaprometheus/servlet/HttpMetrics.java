package io.github.javaprometheus.servlet;

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

/**
 * The HTTP families of django-prometheus's middlewares, created once per registry. Children are
 * resolved once and kept (per method, per transport, per view, per status), so recording a
 * request is a few array reads, increments and observations.
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

  // "after" families without labels or with bounded fixed labels
  final GaugeDataPoint inflight;
  final CounterDataPoint unknownLatency;
  final CounterDataPoint ajax;
  final CounterDataPoint streaming;
  final DistributionDataPoint requestBodyBytes;
  final DistributionDataPoint responseBodyBytes;
  final CounterDataPoint[] byMethod = new CounterDataPoint[HttpMethods.COUNT];
  final CounterDataPoint[] byTransport = new CounterDataPoint[2];

  // labelled "after" families
  final BoundedFamily<CounterDataPoint> byViewTransportMethod;
  final BoundedFamily<CounterDataPoint> byTemplate;
  final BoundedFamily<CounterDataPoint> byStatus;
  final BoundedFamily<CounterDataPoint> byStatusViewMethod;
  final BoundedFamily<CounterDataPoint> byCharset;
  final BoundedFamily<DistributionDataPoint> latencyByViewMethod;
  final BoundedFamily<CounterDataPoint> exceptionsByType;
  final BoundedFamily<CounterDataPoint> exceptionsByView;

  private final CounterDataPoint[] statusChildren = new CounterDataPoint[STATUS_LABELS.length];
  private final ConcurrentHashMap<String, ViewMetrics> views = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, CounterDataPoint> exceptionTypes =
      new ConcurrentHashMap<>();
  private final ViewMetrics overflowView;
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
      byMethod[i] = methods.label(HttpMethods.label(i));
    }
    for (int i = 0; i < TRANSPORTS.length; i++) {
      byTransport[i] = transports.label(TRANSPORTS[i]);
    }
    overflowView = new ViewMetrics(this, settings.labelOverflowValue());
    unnamedView = new ViewMetrics(this, LabelValues.UNNAMED_VIEW);
  }

  /** The HTTP families on the factory's registry. */
  public static HttpMetrics create(MetricFamilies families) {
    return new HttpMetrics(families);
  }

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

  ViewMetrics unnamedView() {
    return unnamedView;
  }

  /** The kept children of a view; bounded by {@code max-label-values} like every label. */
  ViewMetrics view(String name) {
    ViewMetrics v = views.get(name);
    if (v != null) {
      return v;
    }
    if (views.size() >= settings.maxLabelValues()) {
      return overflowView;
    }
    return views.computeIfAbsent(name, n -> new ViewMetrics(this, n));
  }

  CounterDataPoint status(int code) {
    if (code >= 0 && code < statusChildren.length) {
      CounterDataPoint c = statusChildren[code];
      if (c == null) {
        c = byStatus.label(STATUS_LABELS[code]);
        if (!byStatus.isOverflow(c)) {
          statusChildren[code] = c;
        }
      }
      return c;
    }
    return byStatus.label(Integer.toString(code));
  }

  static String statusLabel(int code) {
    return code >= 0 && code < STATUS_LABELS.length ? STATUS_LABELS[code] : Integer.toString(code);
  }

  CounterDataPoint charset(String charset) {
    return byCharset.label(charset);
  }

  CounterDataPoint template(String name) {
    return byTemplate.label(name);
  }

  CounterDataPoint exceptionType(Class<?> type) {
    CounterDataPoint c = exceptionTypes.get(type);
    if (c == null) {
      String name = type.getSimpleName();
      c = exceptionsByType.label(name.isEmpty() ? type.getName() : name);
      if (!exceptionsByType.isOverflow(c)) {
        exceptionTypes.put(type, c);
      }
    }
    return c;
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
    String[] labels = new String[1000];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = Integer.toString(i);
    }
    return labels;
  }

  /** Children of one view, resolved on first use and kept. */
  static final class ViewMetrics {
    private final HttpMetrics m;
    final String name;
    private final CounterDataPoint[] byTransportMethod = new CounterDataPoint[2 * HttpMethods.COUNT];
    private final DistributionDataPoint[] latencyByMethod =
        new DistributionDataPoint[HttpMethods.COUNT];
    private volatile CounterDataPoint exceptions;
    private volatile StatusRow[] statusRows = new StatusRow[0];

    ViewMetrics(HttpMetrics m, String name) {
      this.m = m;
      this.name = name;
    }

    CounterDataPoint requests(int transport, int method) {
      int i = transport * HttpMethods.COUNT + method;
      CounterDataPoint c = byTransportMethod[i];
      if (c == null) {
        c = m.byViewTransportMethod.labels(name, TRANSPORTS[transport], HttpMethods.label(method));
        if (!m.byViewTransportMethod.isOverflow(c)) {
          byTransportMethod[i] = c;
        }
      }
      return c;
    }

    DistributionDataPoint latency(int method) {
      DistributionDataPoint d = latencyByMethod[method];
      if (d == null) {
        d = m.latencyByViewMethod.labels(name, HttpMethods.label(method));
        if (!m.latencyByViewMethod.isOverflow(d)) {
          latencyByMethod[method] = d;
        }
      }
      return d;
    }

    CounterDataPoint exceptions() {
      CounterDataPoint c = exceptions;
      if (c == null) {
        c = m.exceptionsByView.label(name);
        if (!m.exceptionsByView.isOverflow(c)) {
          exceptions = c;
        }
      }
      return c;
    }

    CounterDataPoint responses(int status, int method) {
      StatusRow[] rows = statusRows;
      for (StatusRow row : rows) {
        if (row.status == status) {
          return row.get(this, method);
        }
      }
      return addRow(status).get(this, method);
    }

    private synchronized StatusRow addRow(int status) {
      StatusRow[] rows = statusRows;
      for (StatusRow row : rows) {
        if (row.status == status) {
          return row;
        }
      }
      StatusRow row = new StatusRow(status);
      // A view answers with a handful of statuses; past 64 they share the last row's lookups.
      if (rows.length < 64) {
        StatusRow[] grown = java.util.Arrays.copyOf(rows, rows.length + 1);
        grown[rows.length] = row;
        statusRows = grown;
      }
      return row;
    }

    private static final class StatusRow {
      final int status;
      final CounterDataPoint[] byMethod = new CounterDataPoint[HttpMethods.COUNT];

      StatusRow(int status) {
        this.status = status;
      }

      CounterDataPoint get(ViewMetrics v, int method) {
        CounterDataPoint c = byMethod[method];
        if (c == null) {
          BoundedFamily<CounterDataPoint> f = v.m.byStatusViewMethod;
          c = f.labels(statusLabel(status), v.name, HttpMethods.label(method));
          if (!f.isOverflow(c)) {
            byMethod[method] = c;
          }
        }
        return c;
      }
    }
  }
}
