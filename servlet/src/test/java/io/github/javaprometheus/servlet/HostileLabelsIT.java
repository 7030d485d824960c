package io.github.javaprometheus.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.javaprometheus.cache.CacheMetrics;
import io.github.javaprometheus.cache.CaffeineCacheMetrics;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.jdbc.InstrumentedDataSource;
import io.github.javaprometheus.jdbc.JdbcMetrics;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.Processes;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.TextScrape;
import io.github.javaprometheus.testing.Tools;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

/**
 * Quotes, backslashes, newlines, unpaired surrogates and 100 kB strings in everything that can
 * reach a label: the response charset, the template name, the exception type, a custom resolver's
 * view, the JDBC alias, the cache name. The exposition stays valid: promtool reads it, a real
 * Prometheus ingests it without a scrape error, and each value is exposed cut to 256 chars with
 * U+FFFD for the unpaired surrogates (docs/reliability.md, "Hostile label content").
 */
class HostileLabelsIT {
  /** Every kind of trouble, then 100 000 chars. No '.', so it can end a class name too. */
  static final String HOSTILE =
      "q\"uote \\back\\slash\nnew\nline cr\r tab\t nul\u0000 lone-high\uD800 lone-low\uDFFF end"
          + "x".repeat(100_000);

  private static final String TEMPLATE = "tmpl " + HOSTILE;
  private static final String VIEW = "view " + HOSTILE;
  private static final String CHARSET = "charset " + HOSTILE;
  private static final String ALIAS = "alias " + HOSTILE;
  private static final String CACHE = "cache " + HOSTILE;
  /** A class name can hold at most 65535 bytes of modified UTF-8: 60 000 chars then. */
  private static final String EXCEPTION_CLASS = "hostile.Bad" + HOSTILE.substring(0, 60_000);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TomcatServer server;
  private Path dir;

  /** The value as exposed: unpaired surrogates replaced, the first 256 chars. */
  static String exposed(String value) {
    String replaced = value.replace('\uD800', '\uFFFD').replace('\uDFFF', '\uFFFD');
    return replaced.substring(0, 256);
  }

  /** Label value escaping of the text format. */
  static String escaped(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /**
   * A PromQL string literal's content: {@code \\} and {@code \"} escaped, everything outside
   * printable ASCII as {@code \\uXXXX} (PromQL reads a raw U+FFFD as an invalid rune).
   */
  static String promql(String value) {
    StringBuilder b = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '"') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (dir != null) {
      ServerProcess.deleteRecursively(dir);
    }
  }

  private void start() throws Exception {
    MetricFamilies families = MetricFamilies.create(PrometheusSettings.defaults(), registry);
    HttpMetrics http = HttpMetrics.create(families);
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite::memory:");
    DataSource db = InstrumentedDataSource.builder(sqlite, JdbcMetrics.create(families)).alias(ALIAS).build();
    Cache<String, String> cache =
        CaffeineCacheMetrics.wrap(Caffeine.newBuilder().<String, String>build(), CacheMetrics.create(families), CACHE);
    Class<?> exception = new Definer().define(EXCEPTION_CLASS, exceptionClass(EXCEPTION_CLASS));
    ViewResolver custom =
        (request, response) -> request.getRequestURI().equals("/custom/") ? ResolvedView.of(VIEW, false) : null;
    // Between the filters, like any application filter: the after filter sees its wrapper.
    Filter charset =
        (request, response, chain) ->
            chain.doFilter(
                request,
                new HttpServletResponseWrapper((HttpServletResponse) response) {
                  @Override
                  public String getCharacterEncoding() {
                    return CHARSET;
                  }
                });
    server =
        new TomcatServer()
            .filter("before", new PrometheusBeforeFilter(http))
            .filter("charset", charset)
            .filter("after", new PrometheusAfterFilter(http, List.of(custom)))
            .servlet("/custom/", text("custom"))
            .servlet(
                "/page/",
                new HttpServlet() {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    req.setAttribute(PrometheusAfterFilter.TEMPLATE_NAME_ATTRIBUTE, TEMPLATE);
                    resp.getOutputStream().write("page".getBytes(StandardCharsets.UTF_8));
                  }
                })
            .servlet(
                "/throw/",
                new HttpServlet() {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                    RuntimeException e;
                    try {
                      e = (RuntimeException) exception.getConstructor().newInstance();
                    } catch (ReflectiveOperationException impossible) {
                      throw new IllegalStateException(impossible);
                    }
                    throw e;
                  }
                })
            .servlet(
                "/db/",
                new HttpServlet() {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    try (Connection c = db.getConnection();
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select 41 + 1")) {
                      rs.next();
                      resp.getOutputStream().write(rs.getString(1).getBytes(StandardCharsets.UTF_8));
                    } catch (java.sql.SQLException e) {
                      throw new IOException(e);
                    }
                  }
                })
            .servlet(
                "/cache/",
                new HttpServlet() {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    String v = cache.getIfPresent("k");
                    cache.put("k", "v");
                    resp.getOutputStream().write(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
                  }
                })
            .servlet("/metrics", new MetricsServlet(registry))
            .start();
  }

  private static HttpServlet text(String body) {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  private HttpResponse<byte[]> get(String path, String accept) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(server.url(path)))
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private String body(String path) throws Exception {
    HttpResponse<byte[]> r = get(path, "*/*");
    return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void everyHostileValueIsExposedCutAndValidAndPrometheusIngestsIt() throws Exception {
    start();
    assertThat(body("/page/")).isEqualTo("200 page");
    assertThat(body("/custom/")).isEqualTo("200 custom");
    assertThat(body("/db/")).isEqualTo("200 42");
    assertThat(body("/cache/")).isEqualTo("200 null");
    assertThat(body("/cache/")).isEqualTo("200 v");
    assertThat(get("/throw/", "*/*").statusCode()).isEqualTo(500);
    TextScrape scrape = awaitResponses(6);

    String type = EXCEPTION_CLASS.substring("hostile.".length());
    assertThat(scrape.value(series("java_http_responses_total_by_templatename_total", "templatename", TEMPLATE))).isEqualTo(1.0);
    assertThat(scrape.value("java_http_requests_total_by_view_transport_method_total{method=\"GET\",transport=\"http\",view=\"" + escaped(exposed(VIEW)) + "\"}")).isEqualTo(1.0);
    assertThat(scrape.value(series("java_http_responses_total_by_charset_total", "charset", CHARSET))).isEqualTo(6.0);
    assertThat(scrape.value(series("java_http_exceptions_total_by_type_total", "type", type))).isEqualTo(1.0);
    String db = "{alias=\"" + escaped(exposed(ALIAS)) + "\",vendor=\"sqlite\"}";
    assertThat(scrape.value("java_db_execute_total" + db)).isEqualTo(1.0);
    assertThat(scrape.value("java_db_new_connections_total" + db)).isEqualTo(1.0);
    String cache = "{backend=\"caffeine\",cache=\"" + escaped(exposed(CACHE)) + "\"}";
    assertThat(scrape.value("java_cache_get_misses_total" + cache)).isEqualTo(1.0);
    assertThat(scrape.value("java_cache_get_hits_total" + cache)).isEqualTo(1.0);
    assertThat(scrape.value("java_cache_get_total" + cache)).isEqualTo(2.0);
    assertThat(scrape.value("java_instrumentation_errors_total{component=\"http\"}")).isNull();

    // The text format over HTTP: strictly valid UTF-8, and promtool reads it.
    HttpResponse<byte[]> text = get("/metrics", "text/plain;version=0.0.4");
    assertThat(text.statusCode()).isEqualTo(200);
    StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(text.body())); // throws on invalid UTF-8
    dir = Files.createTempDirectory("hostile-labels");
    Path file = dir.resolve("metrics.txt");
    Files.write(file, text.body());
    Processes.Result check =
        Processes.run(
            Duration.ofSeconds(60),
            new ProcessBuilder(Tools.require("promtool").toString(), "check", "metrics")
                .redirectInput(file.toFile())
                .redirectErrorStream(true),
            null);
    assertThat(check.exitCode()).withFailMessage("promtool: %s%s", check.output(), check.errors()).isZero();

    // A real Prometheus scrapes the endpoint (it negotiates OpenMetrics) with no error.
    int port = FreePorts.next();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
            + "  - job_name: hostile\n    static_configs:\n      - targets: ['127.0.0.1:" + server.port() + "']\n");
    try (ServerProcess prometheus =
        ServerProcess.command(
                Tools.require("prometheus").toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .readyWhen(Probe.http("http://127.0.0.1:" + port + "/-/ready"))
            .startTimeout(Duration.ofSeconds(60))
            .start()) {
      String templateQuery =
          "java_http_responses_total_by_templatename_total{templatename=\"" + promql(exposed(TEMPLATE)) + "\"}";
      assertThat(awaitValue(port, templateQuery, prometheus)).isEqualTo("1");
      assertThat(awaitValue(port, "up{job=\"hostile\"}", prometheus)).isEqualTo("1");
      String targets = http("http://127.0.0.1:" + port + "/api/v1/targets");
      assertThat(targets).contains("\"job\":\"hostile\"").contains("\"lastError\":\"\"").contains("\"health\":\"up\"");
      String typeQuery = "java_http_exceptions_total_by_type_total{type=\"" + promql(exposed(type)) + "\"}";
      assertThat(awaitValue(port, typeQuery, prometheus)).isEqualTo("1");
      String aliasQuery = "java_db_execute_total{alias=\"" + promql(exposed(ALIAS)) + "\"}";
      assertThat(awaitValue(port, aliasQuery, prometheus)).isEqualTo("1");
      System.out.println(
          "hostile labels: text exposition " + text.body().length + " bytes, "
              + TextScrape.parse(new String(text.body(), StandardCharsets.UTF_8)).samples().size()
              + " samples, promtool exit 0; Prometheus up=1, lastError empty, scrape_samples_scraped="
              + awaitValue(port, "scrape_samples_scraped{job=\"hostile\"}", prometheus));
    }
  }

  private static String series(String name, String label, String value) {
    return name + "{" + label + "=\"" + escaped(exposed(value)) + "\"}";
  }

  private TextScrape awaitResponses(double n) throws InterruptedException {
    String series = "java_http_responses_before_middlewares_total";
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    TextScrape scrape = TextScrape.of(registry);
    while (scrape.valueOrZero(series) != n) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(series + " did not reach " + n + " within 10 s:\n" + scrape.text());
      }
      Thread.sleep(10);
      scrape = TextScrape.of(registry);
    }
    return TextScrape.of(registry);
  }

  private String http(String url) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The value of an instant query once it has one (60 s at most). */
  private String awaitValue(int port, String promql, ServerProcess prometheus) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String url =
        "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    while (true) {
      String body = http(url);
      int at = body.indexOf("\"value\":[");
      if (at >= 0) {
        String value = body.substring(at);
        return value.substring(value.indexOf(",\"") + 2, value.indexOf("\"]"));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "no value for " + promql + " within 60 s: " + body + "\ntargets: "
                + http("http://127.0.0.1:" + port + "/api/v1/targets") + "\n" + prometheus.output());
      }
      Thread.sleep(250);
    }
  }

  /**
   * The class file of {@code public class <name> extends RuntimeException} with a public no-arg
   * constructor. Java source cannot name such a class, but the JVM accepts any name without '.',
   * ';', '[' or '/' in its parts, up to 65535 bytes of modified UTF-8: quotes, backslashes,
   * newlines and unpaired surrogates included.
   */
  static byte[] exceptionClass(String binaryName) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0xCAFEBABE);
    out.writeShort(0); // minor
    out.writeShort(52); // Java 8: no stack map frames needed
    out.writeShort(10); // constant pool count: entries 1..9
    out.writeByte(1); // #1 Utf8: this class
    out.writeUTF(binaryName.replace('.', '/'));
    out.writeByte(7); // #2 Class #1
    out.writeShort(1);
    out.writeByte(1); // #3 Utf8: super class
    out.writeUTF("java/lang/RuntimeException");
    out.writeByte(7); // #4 Class #3
    out.writeShort(3);
    out.writeByte(1); // #5
    out.writeUTF("<init>");
    out.writeByte(1); // #6
    out.writeUTF("()V");
    out.writeByte(12); // #7 NameAndType #5 #6
    out.writeShort(5);
    out.writeShort(6);
    out.writeByte(10); // #8 Methodref #4.#7
    out.writeShort(4);
    out.writeShort(7);
    out.writeByte(1); // #9
    out.writeUTF("Code");
    out.writeShort(0x0021); // public super
    out.writeShort(2); // this
    out.writeShort(4); // super
    out.writeShort(0); // interfaces
    out.writeShort(0); // fields
    out.writeShort(1); // methods
    out.writeShort(0x0001); // public <init>()V
    out.writeShort(5);
    out.writeShort(6);
    out.writeShort(1); // one attribute: Code
    out.writeShort(9);
    out.writeInt(17); // 2 + 2 + 4 + 5 code bytes + 2 + 2
    out.writeShort(1); // max stack
    out.writeShort(1); // max locals
    out.writeInt(5);
    out.writeByte(0x2a); // aload_0
    out.writeByte(0xb7); // invokespecial #8
    out.writeShort(8);
    out.writeByte(0xb1); // return
    out.writeShort(0); // exception table
    out.writeShort(0); // code attributes
    out.writeShort(0); // class attributes
    return bytes.toByteArray();
  }

  private static final class Definer extends ClassLoader {
    Definer() {
      super(HostileLabelsIT.class.getClassLoader());
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
