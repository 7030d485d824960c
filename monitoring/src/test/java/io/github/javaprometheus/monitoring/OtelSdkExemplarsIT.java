package io.github.javaprometheus.monitoring;

import static io.github.javaprometheus.monitoring.Servers.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.EndpointAccess;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.jdbc.InstrumentedDataSource;
import io.github.javaprometheus.jdbc.JdbcMetrics;
import io.github.javaprometheus.monitoring.OpenMetricsSamples.Sample;
import io.github.javaprometheus.servlet.HttpMetrics;
import io.github.javaprometheus.servlet.MetricsServlet;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.PrometheusBeforeFilter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The OpenTelemetry SDK configured by hand, no agent: an application's own filter continues the
 * caller's W3C trace in a server span and makes it current, ahead of our filters; a servlet queries
 * SQLite through our {@code DataSource} wrapper. client_java finds {@code opentelemetry-api} on the
 * class path ({@code prometheus-metrics-tracer-otel}, which our core brings through client_java's
 * {@code prometheus-metrics-core}), so our latency histogram, query-duration histogram and counters
 * carry that span as exemplar in OpenMetrics, and client_java marks the span {@code exemplar=true}
 * so a tail sampler can keep the traces that metrics point at.
 */
class OtelSdkExemplarsIT {
  private static final AttributeKey<String> EXEMPLAR = AttributeKey.stringKey("exemplar");

  /** What the SDK ended, in memory: the test's span exporter. */
  static final class Collected implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** The application's tracing filter: extract {@code traceparent}, one server span per request. */
  static final class TracingFilter implements Filter {
    private static final TextMapGetter<HttpServletRequest> HEADERS =
        new TextMapGetter<>() {
          @Override
          @SuppressWarnings("deprecation") // abstract still; the propagators we use never call it
          public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
          }

          @Override
          public String get(HttpServletRequest request, String key) {
            return request == null ? null : request.getHeader(key);
          }
        };

    private final OpenTelemetrySdk otel;
    private final Tracer tracer;

    TracingFilter(OpenTelemetrySdk otel) {
      this.otel = otel;
      this.tracer = otel.getTracer("app");
    }

    @Override
    @SuppressWarnings("try")
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest request = (HttpServletRequest) req;
      Context parent = otel.getPropagators().getTextMapPropagator().extract(Context.root(), request, HEADERS);
      Span span =
          tracer.spanBuilder(request.getMethod() + " " + request.getRequestURI())
              .setParent(parent)
              .setSpanKind(SpanKind.SERVER)
              .startSpan();
      try (Scope ignored = span.makeCurrent()) {
        chain.doFilter(req, res);
      } finally {
        span.end();
      }
    }
  }

  /** {@code GET /users/}: counts the rows of {@code t_user}, through the measured data source. */
  static final class UsersServlet extends HttpServlet {
    private final transient DataSource dataSource;

    UsersServlet(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM t_user")) {
        rs.next();
        resp.setContentType("text/plain");
        resp.getWriter().print(rs.getLong(1));
      } catch (SQLException e) {
        throw new IOException(e);
      }
    }
  }

  @Test
  @SuppressWarnings("try")
  void handConfiguredSdksSpanIsTheExemplarOfLatencyQueryDurationAndCounters(@TempDir Path dir) throws Exception {
    Collected collected = new Collected();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
            .addSpanProcessor(SimpleSpanProcessor.create(collected))
            .build();
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    HttpMetrics http = HttpMetrics.create(families);
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite:" + dir.resolve("users.db"));
    DataSource dataSource = InstrumentedDataSource.wrap(sqlite, JdbcMetrics.create(families));
    // Outside any span: no exemplar.
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t_user (name TEXT)");
      s.execute("INSERT INTO t_user VALUES ('zhangsan')");
    }

    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(dir.resolve("tomcat").toString());
    tomcat.setPort(0);
    tomcat.setHostname("127.0.0.1");
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    org.apache.catalina.Context context = tomcat.addContext("", dir.toString());
    Tomcat.addServlet(context, "users", new UsersServlet(dataSource));
    context.addServletMappingDecoded("/users/", "users");
    Tomcat.addServlet(context, "metrics", new MetricsServlet(registry, EndpointAccess.open()));
    context.addServletMappingDecoded("/metrics", "metrics");
    try (OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build()) {
      // The application's tracing first, then our before filter, then our after filter.
      addFilter(context, "tracing", new TracingFilter(otel));
      addFilter(context, "before", new PrometheusBeforeFilter(http));
      addFilter(context, "after", new PrometheusAfterFilter(http));
      tomcat.start();
      try {
        String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
        List<Sample> before = scrape(base);
        assertThat(before.stream().filter(s -> s.name().startsWith("java_db_") && s.exemplar() != null).toList())
            .as("start-up queries ran in no span")
            .isEmpty();

        SecureRandom random = new SecureRandom();
        byte[] trace = new byte[16];
        byte[] parentSpan = new byte[8];
        random.nextBytes(trace);
        random.nextBytes(parentSpan);
        String traceId = HexFormat.of().formatHex(trace);
        String parentSpanId = HexFormat.of().formatHex(parentSpan);
        var response = get(base + "/users/", "traceparent", "00-" + traceId + "-" + parentSpanId + "-01");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("1");

        // The request's server span, ended by the SDK, child of the parent we sent, marked.
        List<SpanData> server =
            collected.spans.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        assertThat(server).hasSize(1);
        SpanData span = server.get(0);
        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(span.getParentSpanId()).isEqualTo(parentSpanId);
        assertThat(span.getAttributes().get(EXEMPLAR)).isEqualTo("true");

        List<Sample> after = scrape(base);
        String view = UsersServlet.class.getName();
        List<Sample> withExemplar =
            after.stream()
                .filter(s -> s.exemplar() != null && s.exemplar().traceId().equals(traceId))
                .toList();
        List<String> names = withExemplar.stream().map(s -> s.name() + s.labels()).toList();
        // Exactly these samples carry the request's span: one latency bucket of the view, one
        // bucket of the query duration, and the view's and database's counters.
        assertThat(withExemplar.stream().filter(s -> s.name().equals("java_http_requests_latency_seconds_by_view_method_bucket")))
            .as("%s", names)
            .singleElement()
            .satisfies(s -> assertThat(s.label("view")).isEqualTo(view));
        assertThat(withExemplar.stream().filter(s -> s.name().equals("java_db_query_duration_seconds_bucket")))
            .as("%s", names)
            .hasSize(1);
        for (String counter :
            List.of(
                "java_http_requests_total_by_view_transport_method_total",
                "java_http_responses_total_by_status_view_method_total",
                "java_db_execute_total")) {
          assertThat(withExemplar.stream().filter(s -> s.name().equals(counter))).as("%s in %s", counter, names).hasSize(1);
        }
        for (Sample s : withExemplar) {
          assertThat(s.exemplar().spanId()).as("%s", s).isEqualTo(span.getSpanId());
          assertThat(s.exemplar().labels().keySet()).containsExactlyInAnyOrder("trace_id", "span_id");
        }
        assertThat(value(after, "java_db_execute_total")).isEqualTo(value(before, "java_db_execute_total") + 1);
      } finally {
        tomcat.stop();
        tomcat.destroy();
      }
    }
  }

  private static List<Sample> scrape(String base) {
    var r = get(base + "/metrics", "Accept", Servers.OPENMETRICS);
    assertThat(r.statusCode()).isEqualTo(200);
    return OpenMetricsSamples.parse(r.body());
  }

  private static double value(List<Sample> samples, String name) {
    return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
  }

  private static void addFilter(org.apache.catalina.Context context, String name, Filter filter) {
    FilterDef def = new FilterDef();
    def.setFilterName(name);
    def.setFilter(filter);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPattern("/*");
    context.addFilterMap(map);
  }
}
