package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.LabelValues;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flood of hostile requests through both filters on a real Tomcat: random paths (some routed to
 * a resolver that names a view after the path, as a careless framework integration would), random
 * methods (valid, invalid tokens, and TRACE/CONNECT/bad URIs that Tomcat itself rejects), request
 * {@code Content-Type} charsets the servlet echoes as its response charset, {@code
 * X-Requested-With}, {@code Host}, template names, statuses, body sizes, and exceptions of types
 * made at run time.
 *
 * <p>How the counts can be exact while the admission of label sets is first come, first served
 * and the flood is concurrent: a sequential warm-up first fills every family that the flood can
 * reach with new label sets up to {@code prometheus.max-label-values} (asserted), so from then on
 * nothing is admitted and each flood request's fate is decided: a label set the warm-up admitted
 * (read from the registry, not guessed) is counted in its own series, any other in the family's
 * overflow series and in {@code label_overflow_total}. The client predicts every series of every
 * HTTP family from what it sent, and the test compares the whole registry with the prediction.
 *
 * <p>Sizes: {@code -Dflood.requests} (default 50 000, two halves), {@code -Dflood.threads} (4
 * client connections), {@code -Dflood.seed}, {@code -Dflood.max-label-values} (1000, the default
 * bound); {@code -Dflood.requests=1000000} is the run recorded in docs/reliability.md.
 */
class FloodIT {
  private static final int REQUESTS = Integer.getInteger("flood.requests", 50_000);
  private static final int THREADS = Integer.getInteger("flood.threads", 4);
  private static final long SEED = Long.getLong("flood.seed", 14L);
  private static final int CAP = Integer.getInteger("flood.max-label-values", 1000);

  /**
   * Heap growth allowed between the two halves (used heap after full GCs). Once the warm-up has
   * filled the families the library keeps nothing new per label set: every later one goes to a
   * kept overflow handle. What still moves the figure is bounded and saturates: the filter's
   * per-view status rows (one small array per kept view and status seen, here at most 1000 views
   * times 10 statuses, under 1 MiB), and noise (Tomcat's and the JDK's lazily made objects, TLABs).
   * Measured here: +0.3 to +0.6 MiB between halves of 25 000 to 500 000 requests. 2 MiB still
   * catches a leak of one retained label value per request (a short string and a map entry, about
   * 100 B) in the shortened CI run (25 000 requests per half), and one of 4 bytes per request in
   * the 10^6 run.
   */
  private static final long HEAP_TOLERANCE = 2L << 20;

  private static final String OTHER = "other";
  private static final String FLOOD_VIEW = FloodServlet.class.getName();
  private static final List<String> STATUSES =
      List.of("200", "201", "202", "301", "403", "404", "410", "418", "429");
  private static final List<String> WARM_METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW");
  private static final Set<String> VALID_METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT");
  private static final List<String> TEMPLATES = templates();
  private static final List<String> POOL_CHARSETS =
      List.of(
          "UTF-8", "utf-8", "ISO-8859-1", "US-ASCII", "windows-1252", "UTF-16", "Shift_JIS",
          "GBK", "KOI8-R", "latin1");
  /** Every charset name and alias of this JDK, also in lower and upper case; token characters only. */
  private static final List<String> CHARSETS = charsetNames();
  private static final List<Class<? extends RuntimeException>> JDK_FAILURES =
      List.of(
          IllegalStateException.class,
          IllegalArgumentException.class,
          UnsupportedOperationException.class,
          ArithmeticException.class);
  private static final int GENERATED = CAP + 500;
  /**
   * Tomcat logs each exception a servlet throws, on the context's logger (to which embedded Tomcat
   * gives a level of its own); 10^5 stack traces would drown the output.
   */
  private static final Logger TOMCAT_CONTEXT =
      Logger.getLogger("org.apache.catalina.core.ContainerBase.[Tomcat].[127.0.0.1].[/]");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private TomcatServer server;
  private Level tomcatLevel;
  private boolean quietened;

  // ---------------------------------------------------------------------------------------------
  // The application

  /**
   * Echoes the request's charset as its response charset, sets the template named by {@code
   * X-Flood-Template}, the status of {@code X-Flood-Status}, writes {@code X-Flood-Bytes} bytes,
   * or throws the exception named by {@code X-Flood-Throw} before any of the last three.
   */
  static final class FloodServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] BODY = new byte[4096];

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String template = req.getHeader("X-Flood-Template");
      if (template != null) {
        req.setAttribute(PrometheusAfterFilter.TEMPLATE_NAME_ATTRIBUTE, template);
      }
      String charset = req.getCharacterEncoding();
      if (charset != null) {
        resp.setCharacterEncoding(charset);
      }
      String failure = req.getHeader("X-Flood-Throw");
      if (failure != null) {
        throw Failures.create(failure);
      }
      resp.setStatus(Integer.parseInt(req.getHeader("X-Flood-Status")));
      int bytes = Integer.parseInt(req.getHeader("X-Flood-Bytes"));
      resp.setContentLength(bytes);
      resp.getOutputStream().write(BODY, 0, bytes);
    }
  }

  /**
   * Answers every path no other servlet maps, as the container's default servlet does for a file
   * that is not there: {@code sendError(404)}, under the default mapping, so the view is {@code
   * <unnamed view>}. Unlike Tomcat's DefaultServlet it caches no lookups: its resource cache holds
   * each missing path for seconds, megabytes under a flood, which would blur the heap figures.
   */
  static final class NoHandler extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }

  /**
   * Views named after the path, as a framework integration that took a path for a handler would:
   * {@code /route/<anything>} and {@code /warm/<n>} each get their own view.
   */
  static final class PathViews implements ViewResolver {
    @Override
    public ResolvedView resolve(HttpServletRequest request, HttpServletResponse response) {
      String uri = request.getRequestURI();
      if (uri.startsWith("/route/")) {
        return ResolvedView.of("flood.route." + uri.substring(7), false);
      }
      if (uri.startsWith("/warm/")) {
        return ResolvedView.of("flood.warm.W" + uri.substring(6), false);
      }
      return null;
    }
  }

  /**
   * Exception classes made at run time: {@code FloodFailure0000}'s class file with its four digits
   * replaced (the same length, so the constant pool stays valid), each defined by a loader of its
   * own. All are defined before the flood, so the heap figures do not include their definition.
   */
  static final class Failures {
    private static final String TEMPLATE = "FloodFailure0000";
    private static final Map<String, Supplier<RuntimeException>> TYPES = define();

    private Failures() {}

    static String generatedName(int n) {
      return String.format(Locale.ROOT, "FloodFailure%04d", n);
    }

    static RuntimeException create(String simpleName) {
      Supplier<RuntimeException> type = TYPES.get(simpleName);
      if (type == null) {
        throw new IllegalArgumentException("no such failure type: " + simpleName);
      }
      return type.get();
    }

    private static Map<String, Supplier<RuntimeException>> define() {
      Map<String, Supplier<RuntimeException>> types = new HashMap<>();
      for (Class<? extends RuntimeException> t : JDK_FAILURES) {
        Constructor<? extends RuntimeException> c = constructor(t);
        types.put(t.getSimpleName(), () -> newInstance(c));
      }
      byte[] template = read();
      byte[] from = TEMPLATE.getBytes(StandardCharsets.US_ASCII);
      for (int n = 0; n < GENERATED; n++) {
        byte[] bytes = template.clone();
        byte[] to = generatedName(n).getBytes(StandardCharsets.US_ASCII);
        int replaced = 0;
        for (int i = 0; i + from.length <= bytes.length; i++) {
          if (matches(bytes, i, from)) {
            System.arraycopy(to, 0, bytes, i, to.length);
            replaced++;
          }
        }
        if (replaced == 0) {
          throw new IllegalStateException(TEMPLATE + " not found in its own class file");
        }
        Class<?> type = new Loader(FloodIT.class.getClassLoader()).define(bytes);
        // One reflective call per type; fresh() makes the others (a plain `new` in the class).
        Failure prototype = newInstance(constructor(type.asSubclass(Failure.class)));
        types.put(type.getSimpleName(), prototype::fresh);
      }
      return Map.copyOf(types);
    }

    private static <T> T newInstance(Constructor<T> c) {
      try {
        return c.newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Each generated class is in a runtime package of its own loader: its constructor is opened. */
    private static <T> Constructor<T> constructor(Class<T> type) {
      try {
        Constructor<T> c = type.getDeclaredConstructor();
        c.setAccessible(true);
        return c;
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }

    private static boolean matches(byte[] bytes, int at, byte[] what) {
      for (int j = 0; j < what.length; j++) {
        if (bytes[at + j] != what[j]) {
          return false;
        }
      }
      return true;
    }

    private static byte[] read() {
      try (InputStream in = FloodIT.class.getResourceAsStream(TEMPLATE + ".class")) {
        if (in == null) {
          throw new IllegalStateException(TEMPLATE + ".class not found");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static final class Loader extends ClassLoader {
      Loader(ClassLoader parent) {
        super(parent);
      }

      Class<?> define(byte[] bytes) {
        return defineClass(null, bytes, 0, bytes.length);
      }
    }
  }

  /**
   * Makes a new exception of its own type. Public (and so is its constructor) because each
   * generated subclass lives in a runtime package of its own loader.
   */
  public abstract static class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected Failure() {
      super("flood");
    }

    public abstract RuntimeException fresh();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (quietened) {
      TOMCAT_CONTEXT.setLevel(tomcatLevel);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The requests

  enum Kind {
    /** {@code /flood/...}: the servlet's own view. */
    SERVLET,
    /** {@code /route/...}: a view per path, from {@link PathViews}. */
    ROUTE,
    /** {@code /warm/<n>}: the views the warm-up filled the families with, and more. */
    WARM,
    /** A path no servlet maps: {@link NoHandler} answers 404, {@code <unnamed view>}. */
    UNMATCHED,
    /** TRACE, CONNECT or an invalid URI: Tomcat answers before any filter; counted nowhere. */
    REJECTED
  }

  /** One request, and what it must produce. */
  record Req(
      Kind kind,
      String method,
      String path,
      String host,
      String charset,
      String ajax,
      String status,
      String template,
      String failure,
      int requestBytes,
      int responseBytes) {

    boolean counted() {
      return kind != Kind.REJECTED;
    }

    boolean thrown() {
      return failure != null;
    }

    String methodLabel() {
      return VALID_METHODS.contains(method) ? method : LabelValues.INVALID_METHOD;
    }

    String view() {
      switch (kind) {
        case ROUTE:
          return "flood.route." + path.substring(7);
        case WARM:
          return "flood.warm.W" + path.substring(6);
        case UNMATCHED:
          return LabelValues.UNNAMED_VIEW;
        default:
          return FLOOD_VIEW;
      }
    }

    /** The status the client must see, and (for counted requests) the one counted. */
    String expectedStatus() {
      if (kind == Kind.REJECTED) {
        return method.equals("TRACE") ? "405" : method.equals("CONNECT") ? "501" : "400";
      }
      if (kind == Kind.UNMATCHED) {
        return "404";
      }
      return thrown() ? "500" : status;
    }

    String templateLabel() {
      return template == null ? LabelValues.UNKNOWN_TEMPLATE : template;
    }

    String charsetLabel() {
      // Tomcat reports a charset as it was set; with none set, the Servlet default.
      return charset == null || kind == Kind.UNMATCHED ? "ISO-8859-1" : charset;
    }

    /** Bytes the application wrote through the response (the error page is the container's). */
    int writtenBytes() {
      return kind == Kind.UNMATCHED || thrown() ? 0 : responseBytes;
    }

    byte[] bytes() {
      StringBuilder b = new StringBuilder(256);
      b.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      b.append("Host: ").append(host).append("\r\n");
      if (charset != null) {
        b.append("Content-Type: text/plain; charset=").append(charset).append("\r\n");
      }
      if (ajax != null) {
        b.append("X-Requested-With: ").append(ajax).append("\r\n");
      }
      if (status != null) {
        b.append("X-Flood-Status: ").append(status).append("\r\n");
        b.append("X-Flood-Bytes: ").append(responseBytes).append("\r\n");
      }
      if (template != null) {
        b.append("X-Flood-Template: ").append(template).append("\r\n");
      }
      if (failure != null) {
        b.append("X-Flood-Throw: ").append(failure).append("\r\n");
      }
      if (requestBytes > 0) {
        b.append("Content-Length: ").append(requestBytes).append("\r\n");
      }
      b.append("\r\n");
      byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
      if (requestBytes == 0) {
        return head;
      }
      byte[] all = new byte[head.length + requestBytes];
      System.arraycopy(head, 0, all, 0, head.length);
      java.util.Arrays.fill(all, head.length, all.length, (byte) 'b');
      return all;
    }
  }

  /** Random requests; every choice is drawn from the thread's own seeded generator. */
  static final class Generator {
    private static final String SEGMENT_CHARS =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~";
    private static final String[] ESCAPES = {"%20", "%C3%A9", "%E2%9C%93", "%41", ";v=1", "+"};
    private final SplittableRandom r;
    private final int port;

    Generator(long seed, int port) {
      this.r = new SplittableRandom(seed);
      this.port = port;
    }

    Req next() {
      int k = r.nextInt(100);
      Kind kind =
          k < 40
              ? Kind.SERVLET
              : k < 65 ? Kind.ROUTE : k < 80 ? Kind.WARM : k < 98 ? Kind.UNMATCHED : Kind.REJECTED;
      String host = host();
      String charset = charset();
      String ajax = ajax();
      if (kind == Kind.REJECTED) {
        int which = r.nextInt(3);
        return new Req(
            kind,
            which == 0 ? "TRACE" : which == 1 ? "CONNECT" : "GET",
            which == 2 ? "/flood/" + plainSegment() + "%00" + plainSegment() : "/flood/" + segment(),
            host, charset, ajax, null, null, null, 0, 0);
      }
      if (kind == Kind.UNMATCHED) {
        String method = List.of("GET", "HEAD", "POST").get(r.nextInt(3));
        return new Req(
            kind, method, "/x" + path(), host, charset, ajax, null, null, null,
            method.equals("POST") ? requestBytes() : 0, 0);
      }
      String method = method();
      String path =
          kind == Kind.SERVLET
              ? "/flood" + path()
              : kind == Kind.ROUTE ? "/route/" + segment() : "/warm/" + r.nextInt(2 * CAP);
      String failure = null;
      if (r.nextInt(100) < 12) {
        failure =
            r.nextInt(10) < 3
                ? JDK_FAILURES.get(r.nextInt(JDK_FAILURES.size())).getSimpleName()
                : Failures.generatedName(r.nextInt(GENERATED));
      }
      boolean body = !method.equals("GET") && !method.equals("HEAD") && r.nextBoolean();
      return new Req(
          kind, method, path, host, charset, ajax,
          STATUSES.get(r.nextInt(STATUSES.size())), template(), failure,
          body ? requestBytes() : 0, r.nextInt(2049));
    }

    private String method() {
      int m = r.nextInt(100);
      if (m < 30) {
        return "GET";
      }
      if (m < 80) {
        return List.of("POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS").get(r.nextInt(6));
      }
      // Tokens Tomcat accepts and the filters must call <invalid method>: case matters.
      switch (r.nextInt(4)) {
        case 0:
          return "get";
        case 1:
          return "Post";
        case 2:
          return "BREW";
        default:
          return "X" + segmentOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1 + r.nextInt(12));
      }
    }

    private String host() {
      switch (r.nextInt(5)) {
        case 0:
          return "127.0.0.1:" + port;
        case 1:
          return "localhost";
        case 2:
          return "h" + r.nextInt(1_000_000) + ".example";
        case 3:
          return "h" + r.nextInt(1_000_000) + ".example:" + (1 + r.nextInt(65535));
        default:
          return "[::1]:" + (1 + r.nextInt(65535));
      }
    }

    private String charset() {
      int c = r.nextInt(100);
      if (c < 15) {
        return null;
      }
      return c < 60
          ? POOL_CHARSETS.get(r.nextInt(POOL_CHARSETS.size()))
          : CHARSETS.get(r.nextInt(CHARSETS.size()));
    }

    private String ajax() {
      int a = r.nextInt(100);
      return a < 50 ? null : a < 75 ? "XMLHttpRequest" : a < 85 ? "xmlhttprequest" : "Fetch";
    }

    private String template() {
      int t = r.nextInt(100);
      if (t < 35) {
        return null;
      }
      if (t < 75) {
        return TEMPLATES.get(r.nextInt(TEMPLATES.size()));
      }
      // Mostly past the bound: the warm-up admitted warm/t0.html ... in order.
      return r.nextBoolean()
          ? "warm/t" + r.nextInt(2 * CAP) + ".html"
          : "t/" + Long.toHexString(r.nextLong()) + ".html";
    }

    private int requestBytes() {
      return r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(4096);
    }

    private String path() {
      StringBuilder b = new StringBuilder();
      int segments = 1 + r.nextInt(4);
      for (int i = 0; i < segments; i++) {
        b.append('/').append(segment());
      }
      if (r.nextInt(5) == 0) {
        b.append("?q=").append(segment());
      }
      return b.toString();
    }

    /**
     * A segment that starts with a letter, so it is never "." or "..", sometimes with an escape or
     * a path parameter.
     */
    private String segment() {
      String plain = plainSegment();
      return r.nextInt(4) == 0 ? plain + ESCAPES[r.nextInt(ESCAPES.length)] : plain;
    }

    private String plainSegment() {
      return (char) ('a' + r.nextInt(26)) + segmentOf(SEGMENT_CHARS, r.nextInt(16));
    }

    private String segmentOf(String chars, int length) {
      StringBuilder b = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        b.append(chars.charAt(r.nextInt(chars.length())));
      }
      return b.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What each request records, family by family

  /** An HTTP family: its label names and the label values a request records in it, if any. */
  record Family(
      String name, String[] labelNames, Predicate<Req> records, Function<Req, String[]> values) {

    Labels labels(Req q) {
      return Labels.of(labelNames, values.apply(q));
    }

    Labels overflow() {
      String[] others = new String[labelNames.length];
      java.util.Arrays.fill(others, OTHER);
      return Labels.of(labelNames, others);
    }
  }

  private static Family family(String name, Predicate<Req> records, String... labelNames) {
    return new Family(name, labelNames, records, q -> values(q, labelNames));
  }

  private static String[] values(Req q, String[] labelNames) {
    String[] v = new String[labelNames.length];
    for (int i = 0; i < v.length; i++) {
      switch (labelNames[i]) {
        case "method":
          v[i] = q.methodLabel();
          break;
        case "transport":
          v[i] = "http";
          break;
        case "view":
          v[i] = q.view();
          break;
        case "status":
          v[i] = q.expectedStatus();
          break;
        case "templatename":
          v[i] = q.templateLabel();
          break;
        case "charset":
          v[i] = q.charsetLabel();
          break;
        case "type":
          v[i] = q.failure();
          break;
        default:
          throw new IllegalArgumentException(labelNames[i]);
      }
    }
    return v;
  }

  private static final Predicate<Req> COUNTED = Req::counted;
  private static final Predicate<Req> NEVER = q -> false;
  private static final Predicate<Req> THROWN = q -> q.counted() && q.thrown();

  /** Every family the filters register (histograms by their count), in registration order. */
  private static final List<Family> FAMILIES =
      List.of(
          family("java_http_requests_before_middlewares", COUNTED),
          family("java_http_responses_before_middlewares", COUNTED),
          family("java_http_requests_latency_including_middlewares_seconds", COUNTED),
          family("java_http_requests_unknown_latency_including_middlewares", NEVER),
          family("java_http_inflight_requests", NEVER),
          family("java_http_requests_unknown_latency", NEVER),
          family(
              "java_http_ajax_requests", q -> q.counted() && "XMLHttpRequest".equals(q.ajax())),
          family("java_http_requests_total_by_method", COUNTED, "method"),
          family("java_http_requests_total_by_transport", COUNTED, "transport"),
          family(
              "java_http_requests_total_by_view_transport_method",
              COUNTED,
              "view",
              "transport",
              "method"),
          family("java_http_requests_body_total_bytes", COUNTED),
          family("java_http_responses_total_by_templatename", COUNTED, "templatename"),
          family("java_http_responses_total_by_status", COUNTED, "status"),
          family(
              "java_http_responses_total_by_status_view_method",
              COUNTED,
              "status",
              "view",
              "method"),
          family("java_http_responses_body_total_bytes", COUNTED),
          family("java_http_responses_total_by_charset", COUNTED, "charset"),
          family("java_http_responses_streaming", NEVER),
          family("java_http_requests_latency_seconds_by_view_method", COUNTED, "view", "method"),
          family("java_http_exceptions_total_by_type", THROWN, "type"),
          family("java_http_exceptions_total_by_view", THROWN, "view"));

  /** The families the flood can reach with label sets the warm-up did not send. */
  private static final Set<String> FILLED =
      Set.of(
          "java_http_requests_total_by_view_transport_method",
          "java_http_responses_total_by_templatename",
          "java_http_responses_total_by_status_view_method",
          "java_http_responses_total_by_charset",
          "java_http_requests_latency_seconds_by_view_method",
          "java_http_exceptions_total_by_type",
          "java_http_exceptions_total_by_view");

  private static final String OVERFLOW_FAMILY = "java_label_overflow";
  private static final String ERRORS_FAMILY = "java_instrumentation_errors";
  private static final String REQUEST_BYTES = "java_http_requests_body_total_bytes";
  private static final String RESPONSE_BYTES = "java_http_responses_body_total_bytes";

  /**
   * One client thread's predictions: per family, a count per label set the warm-up admitted
   * (arrays made before the flood, so the client's own memory does not grow) and the overflow.
   */
  static final class Tally {
    final long[][] hits;
    final long[] overflow = new long[FAMILIES.size()];
    long requestBytes;
    long responseBytes;
    long requests;
    long rejected;
    final List<String> wrong = new ArrayList<>();

    Tally(List<Map<Labels, Integer>> index) {
      hits = new long[FAMILIES.size()][];
      for (int f = 0; f < hits.length; f++) {
        hits[f] = new long[index.get(f).size()];
      }
    }

    void add(Req q, List<Map<Labels, Integer>> index) {
      requests++;
      if (!q.counted()) {
        rejected++;
        return;
      }
      requestBytes += q.requestBytes();
      responseBytes += q.writtenBytes();
      for (int f = 0; f < FAMILIES.size(); f++) {
        Family family = FAMILIES.get(f);
        if (family.records().test(q)) {
          Integer i = index.get(f).get(family.labels(q));
          if (i == null) {
            overflow[f]++;
          } else {
            hits[f][i]++;
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The test

  @Test
  void randomRequestsStayUnderTheBoundCountOverflowExactlyAndLeaveTheHeapFlat() throws Exception {
    PrometheusSettings settings =
        PrometheusSettings.builder()
            .set("prometheus.jvm-metrics", "false")
            .set("prometheus.max-label-values", String.valueOf(CAP))
            .build();
    assertThat(settings.labelOverflowValue()).isEqualTo(OTHER);
    HttpMetrics metrics = HttpMetrics.create(MetricFamilies.create(settings, registry));
    assertThat(Failures.TYPES).hasSize(JDK_FAILURES.size() + GENERATED);
    server =
        new TomcatServer()
            .filter("before", new PrometheusBeforeFilter(metrics))
            .filter("after", new PrometheusAfterFilter(metrics, List.of(new PathViews())))
            .servlet("/flood/*", new FloodServlet())
            .servlet("/route/*", new FloodServlet())
            .servlet("/warm/*", new FloodServlet())
            .servlet("/", new NoHandler());
    tomcatLevel = TOMCAT_CONTEXT.getLevel();
    quietened = true;
    TOMCAT_CONTEXT.setLevel(Level.OFF);
    server.start();

    // Warm-up, one connection: the fixed label sets, then CAP requests with a new view, template,
    // charset and exception type each, which fills every family the flood can reach.
    List<Req> warm = warmUp();
    long warmRequests;
    try (Client client = new Client(server.port())) {
      for (Req q : warm) {
        client.send(q);
      }
      warmRequests = client.counted;
      assertThat(client.wrong).isEmpty();
    }
    Scrape warmScrape = awaitScrape(warmRequests);
    Map<String, Map<Labels, Double>> afterWarm = warmScrape.families();
    List<Map<Labels, Integer>> index = new ArrayList<>();
    for (Family f : FAMILIES) {
      Map<Labels, Double> series = afterWarm.get(f.name());
      assertThat(series).as("family %s", f.name()).isNotNull();
      Map<Labels, Integer> admitted = new HashMap<>();
      for (Labels l : series.keySet()) {
        if (!l.equals(f.overflow()) || f.labelNames().length == 0) {
          admitted.put(l, admitted.size());
        }
      }
      if (FILLED.contains(f.name())) {
        assertThat(admitted)
            .as("the warm-up fills %s to the bound", f.name())
            .hasSize(CAP);
        assertThat(series).as("%s has overflowed", f.name()).containsKey(f.overflow());
      }
      index.add(Map.copyOf(admitted));
    }
    // The client's own bookkeeping for both halves, made now so that it is in every heap figure.
    List<Tally> tallies = new ArrayList<>();
    for (int t = 0; t < 2 * THREADS; t++) {
      tallies.add(new Tally(index));
    }
    long heapAfterWarmUp = heapAfterGc();

    // The flood, in two halves; the heap after full GCs is read after each.
    int half = REQUESTS / 2;
    long start = System.nanoTime();
    flood(half, 0, index, tallies);
    double firstSeconds = (System.nanoTime() - start) / 1e9;
    long heapFirst = heapAfterGc();
    long second = System.nanoTime();
    flood(REQUESTS - half, THREADS, index, tallies);
    double secondSeconds = (System.nanoTime() - second) / 1e9;
    long heapSecond = heapAfterGc();

    List<String> wrong = new ArrayList<>();
    long sent = 0;
    long rejected = 0;
    for (Tally t : tallies) {
      sent += t.requests;
      rejected += t.rejected;
      wrong.addAll(t.wrong);
    }
    assertThat(wrong).as("responses other than the app's").isEmpty();
    assertThat(sent).isEqualTo(REQUESTS);
    long counted = warmRequests + sent - rejected;

    // The prediction: the warm-up's registry plus each flood request where it must land.
    Map<String, Map<Labels, Double>> expected = new TreeMap<>();
    for (int f = 0; f < FAMILIES.size(); f++) {
      Family family = FAMILIES.get(f);
      Map<Labels, Double> series = new HashMap<>(afterWarm.get(family.name()));
      long overflow = 0;
      for (Tally t : tallies) {
        overflow += t.overflow[f];
        for (Map.Entry<Labels, Integer> e : index.get(f).entrySet()) {
          series.merge(e.getKey(), (double) t.hits[f][e.getValue()], Double::sum);
        }
      }
      if (overflow > 0) {
        series.merge(family.overflow(), (double) overflow, Double::sum);
        expected
            .computeIfAbsent(OVERFLOW_FAMILY, n -> new HashMap<>(afterWarm.get(OVERFLOW_FAMILY)))
            .merge(Labels.of("family", family.name()), (double) overflow, Double::sum);
      }
      expected.put(family.name(), series);
    }
    expected.putIfAbsent(OVERFLOW_FAMILY, afterWarm.get(OVERFLOW_FAMILY));
    // The library's own errors: none in the warm-up, none after.
    Map<Labels, Double> errors = afterWarm.get(ERRORS_FAMILY);
    if (errors != null) {
      assertThat(errors.values()).allMatch(v -> v == 0.0);
      expected.put(ERRORS_FAMILY, errors);
    }

    Scrape last = awaitScrape(counted);
    Map<String, Map<Labels, Double>> actual = last.families();
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String name : expected.keySet()) {
      assertSameSeries(name, actual.get(name), expected.get(name));
    }
    // Every family under its bound: at most CAP label sets plus the overflow series.
    for (Map.Entry<String, Map<Labels, Double>> e : actual.entrySet()) {
      assertThat(e.getValue().size()).as("series of %s", e.getKey()).isLessThanOrEqualTo(CAP + 1);
    }
    // Body sizes are exact: the request's Content-Length, the bytes the application wrote.
    long requestBytes = 0;
    long responseBytes = 0;
    for (Tally t : tallies) {
      requestBytes += t.requestBytes;
      responseBytes += t.responseBytes;
    }
    assertThat(last.requestBytes() - warmScrape.requestBytes()).isEqualTo((double) requestBytes);
    assertThat(last.responseBytes() - warmScrape.responseBytes())
        .isEqualTo((double) responseBytes);

    Map<Labels, Double> overflowSeries = actual.get(OVERFLOW_FAMILY);
    double overflowTotal = overflowSeries.values().stream().mapToDouble(Double::doubleValue).sum();
    int seriesTotal = actual.values().stream().mapToInt(Map::size).sum();
    System.out.printf(
        Locale.ROOT,
        "flood: %d requests (%d rejected by Tomcat) + %d warm-up, %d threads, bound %d;"
            + " %.0f req/s then %.0f req/s; %d series in %d families; overflow counted %.0f times%n"
            + "flood: used heap after full GC: %.1f MiB after warm-up, %.1f MiB after %d,"
            + " %.1f MiB after %d (%+.2f MiB; tolerance %.0f MiB)%n",
        sent, rejected, warmRequests, THREADS, CAP, half / firstSeconds,
        (REQUESTS - half) / secondSeconds, seriesTotal, actual.size(), overflowTotal,
        heapAfterWarmUp / 1048576.0, heapFirst / 1048576.0, half, heapSecond / 1048576.0,
        REQUESTS, (heapSecond - heapFirst) / 1048576.0, HEAP_TOLERANCE / 1048576.0);
    for (Map.Entry<String, Double> e : new TreeMap<>(labelText(overflowSeries)).entrySet()) {
      System.out.printf(Locale.ROOT, "flood:   java_label_overflow_total%s %.0f%n", e.getKey(), e.getValue());
    }
    assertThat(heapSecond - heapFirst)
        .as("heap growth over the second half (after full GCs)")
        .isLessThanOrEqualTo(HEAP_TOLERANCE);
  }

  /** The HTTP families and label_overflow_total (series to value, a histogram's count), and the body sums. */
  record Scrape(Map<String, Map<Labels, Double>> families, double requestBytes, double responseBytes) {}

  private static Map<String, Double> labelText(Map<Labels, Double> series) {
    Map<String, Double> text = new HashMap<>();
    series.forEach((l, v) -> text.put(l.toString(), v));
    return text;
  }

  private List<Req> warmUp() {
    List<Req> warm = new ArrayList<>();
    String host = "127.0.0.1:" + server.port();
    String cs = POOL_CHARSETS.get(0);
    for (String method : WARM_METHODS) {
      for (String status : STATUSES) {
        warm.add(
            new Req(Kind.SERVLET, method, "/flood/warm", host, cs, null, status, null, null, 0, 5));
      }
      warm.add(
          new Req(Kind.SERVLET, method, "/flood/warm", host, cs, null, "200", null,
              JDK_FAILURES.get(0).getSimpleName(), 0, 5));
    }
    for (String method : List.of("GET", "HEAD", "POST")) {
      warm.add(new Req(Kind.UNMATCHED, method, "/xwarm", host, null, null, null, null, null, 0, 0));
    }
    for (String template : TEMPLATES) {
      warm.add(new Req(Kind.SERVLET, "GET", "/flood/warm", host, cs, null, "200", template, null, 0, 5));
    }
    for (String charset : POOL_CHARSETS) {
      warm.add(new Req(Kind.SERVLET, "GET", "/flood/warm", host, charset, null, "200", null, null, 0, 5));
    }
    for (Class<? extends RuntimeException> type : JDK_FAILURES) {
      warm.add(
          new Req(Kind.SERVLET, "GET", "/flood/warm", host, cs, null, "200", null,
              type.getSimpleName(), 0, 5));
    }
    List<String> fill = new ArrayList<>(CHARSETS);
    fill.removeAll(POOL_CHARSETS);
    fill.remove("ISO-8859-1");
    assertThat(fill.size()).as("charset names to fill the bound with").isGreaterThanOrEqualTo(CAP);
    for (int i = 0; i < CAP; i++) {
      warm.add(
          new Req(Kind.WARM, "GET", "/warm/" + i, host, fill.get(i), "XMLHttpRequest", "200",
              "warm/t" + i + ".html", Failures.generatedName(i), 0, 0));
    }
    return warm;
  }

  private void flood(
      int requests, int firstThread, List<Map<Labels, Integer>> index, List<Tally> tallies)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        int share = requests / THREADS + (t < requests % THREADS ? 1 : 0);
        long seed = SEED * 1_000_003L + firstThread + t;
        futures.add(
            pool.submit(
                () -> {
                  Tally tally = tallies.get(firstThread + thread);
                  Generator g = new Generator(seed, server.port());
                  try (Client client = new Client(server.port())) {
                    for (int i = 0; i < share; i++) {
                      Req q = g.next();
                      client.send(q);
                      tally.add(q, index);
                    }
                    tally.wrong.addAll(client.wrong);
                  }
                  return null;
                }));
      }
      // Bounded: a minute plus a millisecond per request, far above the rate seen here.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).plusMillis(requests).toNanos();
      for (Future<?> f : futures) {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * A scrape once the before filter has recorded {@code responses} responses (it records that
   * last, after the client has its answer; 30 s at most): a second one, since one scrape reads
   * family after family while the last requests may still be recording.
   */
  private Scrape awaitScrape(long responses)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Map<String, Map<Labels, Double>> f = families(registry.scrape());
      Double done =
          f.getOrDefault("java_http_responses_before_middlewares", Map.of()).get(Labels.EMPTY);
      if (done != null && done == responses) {
        break;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(responses + " responses not recorded within 30 s: " + done);
      }
      Thread.sleep(20);
    }
    MetricSnapshots snapshots = registry.scrape();
    return new Scrape(
        families(snapshots), sum(snapshots, REQUEST_BYTES), sum(snapshots, RESPONSE_BYTES));
  }

  private static double sum(MetricSnapshots snapshots, String family) {
    for (MetricSnapshot s : snapshots) {
      if (s.getMetadata().getName().equals(family)) {
        return ((HistogramSnapshot) s).getDataPoints().get(0).getSum();
      }
    }
    throw new AssertionError("no family " + family);
  }

  private static Map<String, Map<Labels, Double>> families(MetricSnapshots snapshots) {
    Map<String, Map<Labels, Double>> result = new TreeMap<>();
    for (MetricSnapshot s : snapshots) {
      String name = s.getMetadata().getName();
      if (!name.startsWith("java_http_") && !name.equals(OVERFLOW_FAMILY)
          && !name.equals(ERRORS_FAMILY)) {
        continue;
      }
      Map<Labels, Double> series = new HashMap<>();
      if (s instanceof CounterSnapshot) {
        for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) s).getDataPoints()) {
          series.put(p.getLabels(), p.getValue());
        }
      } else if (s instanceof GaugeSnapshot) {
        for (GaugeSnapshot.GaugeDataPointSnapshot p : ((GaugeSnapshot) s).getDataPoints()) {
          series.put(p.getLabels(), p.getValue());
        }
      } else if (s instanceof HistogramSnapshot) {
        for (HistogramSnapshot.HistogramDataPointSnapshot p :
            ((HistogramSnapshot) s).getDataPoints()) {
          series.put(p.getLabels(), (double) p.getCount());
        }
      } else {
        throw new AssertionError("unexpected family type: " + name);
      }
      result.put(name, series);
    }
    return result;
  }

  /** Equal maps, or a failure naming the first 20 series that differ. */
  private static void assertSameSeries(
      String family, Map<Labels, Double> actual, Map<Labels, Double> expected) {
    List<String> diff = new ArrayList<>();
    Set<Labels> all = new java.util.HashSet<>(actual.keySet());
    all.addAll(expected.keySet());
    for (Labels l : all) {
      Double a = actual.get(l);
      Double e = expected.get(l);
      if (a == null || !a.equals(e)) {
        diff.add(l + ": expected " + e + ", was " + a);
      }
    }
    if (!diff.isEmpty()) {
      throw new AssertionError(
          family + ": " + diff.size() + " series differ (of " + expected.size() + " expected), e.g. "
              + diff.subList(0, Math.min(20, diff.size())));
    }
  }

  /**
   * Used heap after full GCs: the least of five readings, each after System.gc(); 30 s at most.
   * With {@code -Dflood.histogram=true} the largest classes of the live heap are printed first
   * (how the heap figures were checked; see docs/reliability.md).
   */
  private static long heapAfterGc() throws Exception {
    if (Boolean.getBoolean("flood.histogram")) {
      Object histogram =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "gcClassHistogram",
                  new Object[] {null},
                  new String[] {String[].class.getName()});
      String[] lines = histogram.toString().split("\n");
      System.out.println(
          "flood: live heap\n" + String.join("\n", List.of(lines).subList(0, Math.min(30, lines.length))));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 5 && System.nanoTime() - deadline < 0; i++) {
      System.gc();
      Thread.sleep(100);
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  // ---------------------------------------------------------------------------------------------
  // A keep-alive HTTP/1.1 client on raw sockets: any method, any Host header

  /** One connection at a time, reopened when the server closes it. */
  static final class Client implements AutoCloseable {
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    long counted;
    final List<String> wrong = new ArrayList<>();

    Client(int port) {
      this.port = port;
    }

    void send(Req q) throws IOException {
      if (socket == null) {
        socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
      }
      out.write(q.bytes());
      out.flush();
      String statusLine = line();
      if (statusLine == null) {
        throw new IOException("connection closed before the response to " + q);
      }
      String status = statusLine.length() >= 12 ? statusLine.substring(9, 12) : statusLine;
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); h != null && !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equals("transfer-encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        } else if (name.equals("connection")) {
          close = value.equalsIgnoreCase("close");
        }
      }
      if (!q.method().equals("HEAD")) {
        if (chunked) {
          for (long size = Long.parseLong(line().split(";")[0].trim(), 16);
              size > 0;
              size = Long.parseLong(line().split(";")[0].trim(), 16)) {
            skip(size);
            line();
          }
          for (String t = line(); t != null && !t.isEmpty(); t = line()) {
            // trailers
          }
        } else if (length >= 0) {
          skip(length);
        } else {
          in.transferTo(OutputStream.nullOutputStream());
          close = true;
        }
      }
      if (!status.equals(q.expectedStatus()) && wrong.size() < 20) {
        wrong.add(statusLine + " for " + q);
      }
      if (q.counted()) {
        counted++;
      }
      if (close) {
        close();
      }
    }

    private void skip(long n) throws IOException {
      long left = n;
      while (left > 0) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("body cut short");
          }
          skipped = 1;
        }
        left -= skipped;
      }
    }

    /** A line without its CRLF, or null at the end of the stream. */
    private String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream(64);
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          byte[] bytes = b.toByteArray();
          int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
          return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        }
        if (b.size() > 16 * 1024) {
          throw new IOException("header line too long");
        }
        b.write(c);
      }
      return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
        socket = null;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static List<String> templates() {
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      t.add("flood/page-" + i + ".html");
    }
    return List.copyOf(t);
  }

  private static List<String> charsetNames() {
    TreeSet<String> names = new TreeSet<>();
    for (Charset c : Charset.availableCharsets().values()) {
      List<String> all = new ArrayList<>(c.aliases());
      all.add(c.name());
      for (String n : all) {
        for (String v :
            List.of(n, n.toLowerCase(Locale.ROOT), n.toUpperCase(Locale.ROOT))) {
          if (v.matches("[A-Za-z0-9._-]+")) {
            names.add(v);
          }
        }
      }
    }
    return List.copyOf(names);
  }

}

/**
 * The template of {@link FloodIT.Failures}: a top-level class (no InnerClasses attribute), whose
 * name is rewritten into {@code FloodFailure0001}, {@code FloodFailure0002}, and so on.
 */
final class FloodFailure0000 extends FloodIT.Failure {
  private static final long serialVersionUID = 1L;

  FloodFailure0000() {}

  @Override
  public RuntimeException fresh() {
    return new FloodFailure0000();
  }
}
