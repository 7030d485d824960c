package io.github.javaprometheus.exporter;

import com.sun.net.httpserver.HttpsConfigurator;
import io.github.javaprometheus.core.EndpointAccess;
import io.github.javaprometheus.core.PortRange;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The dedicated exporter port of django-prometheus ({@code PROMETHEUS_METRICS_EXPORT_PORT},
 * {@code _PORT_RANGE}, {@code _ADDRESS}): client_java's {@link HTTPServer} serving {@code /metrics}
 * of one registry on its own daemon threads.
 *
 * <p>At most one exporter runs per JVM. The running one is kept in a static field of this class, so
 * a second {@link #start} in the same JVM returns it instead of binding again. That is what makes
 * Spring DevTools restarts work: DevTools re-runs the auto-configuration in a fresh classloader,
 * while this library's jar stays in the base classloader together with the bound port; binding
 * again would fail with "address already in use". Two application contexts in one test JVM share
 * the exporter the same way.
 *
 * <p>A second start that asks for something else (another registry, address, port or range) also
 * gets the running exporter: the port cannot be served twice, and taking it away from the first
 * caller would break its scrapes. The first exporter keeps serving its own registry and a WARNING
 * says so. In particular, after a DevTools restart that created a new {@link PrometheusRegistry},
 * the exporter still serves the registry of the first context; pass the same registry (for example
 * {@link PrometheusRegistry#defaultRegistry}) or call {@link #stopRunning()} before starting again.
 */
public final class MetricsExporter implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(MetricsExporter.class.getName());

  private static final String PORT_KEYS =
      "prometheus.export.port / PROMETHEUS_METRICS_EXPORT_PORT";
  private static final String RANGE_KEYS =
      "prometheus.export.port-range / PROMETHEUS_METRICS_EXPORT_PORT_RANGE";
  private static final String ADDRESS_KEYS =
      "prometheus.export.address / PROMETHEUS_METRICS_EXPORT_ADDRESS";
  private static final String CLIENT_JAVA_PORT_KEY = "io.prometheus.exporter.httpServer.port";

  private static final Object LOCK = new Object();

  // Guarded by LOCK. Static on purpose: it must outlive application contexts (see class Javadoc).
  private static MetricsExporter running;

  private final HTTPServer server;
  private final PrometheusRegistry registry;
  private final Request request;
  private final int port;
  private boolean closed; // guarded by LOCK

  private MetricsExporter(HTTPServer server, PrometheusRegistry registry, Request request) {
    this.server = server;
    this.registry = registry;
    this.request = request;
    this.port = server.getPort();
  }

  /**
   * Starts the JVM-wide exporter, or returns the one already running.
   *
   * <p>The port comes from {@link ExporterSettings#PORT_RANGE} when set (the first free
   * port of the range), else from {@link ExporterSettings#PORT} ({@code 0}: any free
   * port); the bind address from {@link ExporterSettings#ADDRESS}.
   *
   * @return empty when no exporter port is configured or {@code prometheus.enabled} is false
   * @throws IllegalArgumentException when the bind address cannot be resolved
   * @throws IllegalStateException when the port, or every port of the range, is taken, or the
   *     server cannot be bound for another reason (also when client_java's own {@code
   *     io.prometheus.exporter.httpServer.port} would override ours); the message names the port
   *     and the setting
   * @throws java.io.UncheckedIOException when the server fails to start for a reason other than
   *     binding
   */
  public static Optional<MetricsExporter> start(
      PrometheusSettings settings, PrometheusRegistry registry) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(registry, "registry");
    if (!settings.enabled() || !ExporterSettings.configured(settings)) {
      return Optional.empty();
    }
    Request request = Request.of(settings);
    // Read before anything binds: a bad keystore or access setting fails start-up naming its key.
    Protection protection =
        new Protection(EndpointAccess.of(settings), ExporterTls.configurator(settings));
    synchronized (LOCK) {
      if (running != null) {
        if (running.registry != registry || !running.request.equals(request)) {
          LOG.log(
              Level.WARNING,
              "A Prometheus exporter is already serving "
                  + running
                  + " in this JVM ("
                  + running.request
                  + "); the request for "
                  + (running.registry != registry ? "another registry with " : "")
                  + request
                  + " is ignored and the first exporter keeps serving its own registry. This"
                  + " happens after a Spring DevTools restart or with several application contexts"
                  + " in one JVM; call MetricsExporter.stopRunning() before starting to rebind.");
        }
        return Optional.of(running);
      }
      running = bind(request, registry, clientJavaPort(), protection);
      return Optional.of(running);
    }
  }

  /** The exporter running in this JVM, if any. */
  public static Optional<MetricsExporter> running() {
    synchronized (LOCK) {
      return Optional.ofNullable(running);
    }
  }

  /**
   * Stops the JVM-wide exporter and frees its port, so that a later {@link #start} binds again.
   *
   * @return whether an exporter was running
   */
  public static boolean stopRunning() {
    MetricsExporter current;
    synchronized (LOCK) {
      current = running;
    }
    if (current == null) {
      return false;
    }
    current.close();
    return true;
  }

  /** The port the exporter is bound to (the chosen one when port 0 or a range was configured). */
  public int port() {
    return port;
  }

  /** The bind address as configured ({@code prometheus.export.address}), e.g. {@code 0.0.0.0}. */
  public String address() {
    return request.address;
  }

  /** The registry whose metrics are served. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Whether this exporter still serves (false after {@link #close()}). */
  public boolean isRunning() {
    synchronized (LOCK) {
      return !closed;
    }
  }

  /**
   * Stops this exporter and frees its port. It is the JVM-wide one, so this stops it for every
   * caller that got it from {@link #start}; integrations that may run several contexts in one JVM
   * should leave it running (its threads are daemon threads) or use {@link #stopRunning()} at
   * shutdown.
   */
  @Override
  public void close() {
    synchronized (LOCK) {
      if (closed) {
        return;
      }
      closed = true;
      if (running == this) {
        running = null;
      }
    }
    // Outside the lock: HttpServer.stop may wait for exchanges in flight.
    server.close();
    LOG.log(Level.INFO, "Prometheus exporter on " + this + " stopped");
  }

  /** {@code address:port}, with brackets around an IPv6 address. */
  @Override
  public String toString() {
    return hostPort(request.address, port);
  }

  // ---- binding ----

  /** Access checks and TLS of the exporter port; both optional. */
  private static final class Protection {
    final EndpointAccess access;
    final HttpsConfigurator tls;

    Protection(EndpointAccess access, HttpsConfigurator tls) {
      this.access = access;
      this.tls = tls;
    }

    @Override
    public String toString() {
      return (tls == null ? "http" : "https") + ", access " + access;
    }
  }

  private static MetricsExporter bind(
      Request request, PrometheusRegistry registry, Integer clientJavaPort, Protection protection) {
    checkClientJavaPort(request, clientJavaPort);
    InetAddress address = resolve(request.address);
    if (request.range != null) {
      return bindRange(request, registry, address, protection);
    }
    MetricsExporter exporter;
    try {
      exporter = bindPort(request, registry, address, request.port, protection);
    } catch (BindException e) {
      throw bindFailure(request.address, request.port, e, PORT_KEYS);
    }
    if (exporter == null) {
      throw new IllegalStateException(
          "Cannot start the Prometheus exporter on "
              + hostPort(request.address, request.port)
              + ": port "
              + request.port
              + " is already in use (set "
              + PORT_KEYS
              + " to a free port, or a range with prometheus.export.port-range)");
    }
    LOG.log(
        Level.INFO, "Prometheus exporter serving /metrics on " + exporter + " (" + protection + ")");
    return exporter;
  }

  private static MetricsExporter bindRange(
      Request request, PrometheusRegistry registry, InetAddress address, Protection protection) {
    PortRange range = request.range;
    for (int p = range.first(); p <= range.last(); p++) {
      MetricsExporter exporter;
      try {
        exporter = bindPort(request, registry, address, p, protection);
      } catch (BindException e) {
        throw bindFailure(request.address, p, e, RANGE_KEYS);
      }
      if (exporter != null) {
        // django-prometheus logs the chosen port too: with a range it is the only way to know it.
        LOG.log(
            Level.INFO,
            "Prometheus exporter serving /metrics on "
                + exporter
                + " (first free port of prometheus.export.port-range "
                + range
                + "; "
                + protection
                + ")");
        return exporter;
      }
    }
    throw new IllegalStateException(
        "Cannot start the Prometheus exporter on "
            + request.address
            + ": every port of prometheus.export.port-range "
            + range
            + " is already in use (set "
            + RANGE_KEYS
            + " to a range with a free port)");
  }

  /**
   * Binds one port.
   *
   * @return null when the port is already in use
   * @throws BindException when binding fails for another reason (address not local, privileged
   *     port)
   */
  private static MetricsExporter bindPort(
      Request request,
      PrometheusRegistry registry,
      InetAddress address,
      int port,
      Protection protection)
      throws BindException {
    HTTPServer server;
    try {
      HTTPServer.Builder builder =
          HTTPServer.builder().inetAddress(address).port(port).registry(registry);
      if (!protection.access.isOpen()) {
        builder.authenticator(new ExporterAuthenticator(protection.access));
      }
      if (protection.tls != null) {
        builder.httpsConfigurator(protection.tls);
      }
      server = builder.buildAndStart();
    } catch (BindException e) {
      if (inUse(e)) {
        return null;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start the Prometheus exporter on " + hostPort(request.address, port), e);
    }
    return new MetricsExporter(server, registry, request);
  }

  // The JDK reports EADDRINUSE as a BindException with this text on Linux, macOS and Windows;
  // other bind errors (EADDRNOTAVAIL, EACCES) are BindExceptions too but retrying does not help.
  private static boolean inUse(BindException e) {
    String message = e.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("in use");
  }

  private static IllegalStateException bindFailure(
      String address, int port, BindException e, String portKeys) {
    return new IllegalStateException(
        "Cannot start the Prometheus exporter on "
            + hostPort(address, port)
            + ": "
            + e.getMessage()
            + " (check "
            + ADDRESS_KEYS
            + ", which must be an address of this machine such as 0.0.0.0, and "
            + portKeys
            + ")",
        e);
  }

  private static InetAddress resolve(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "Invalid setting prometheus.export.address='"
              + address
              + "': cannot resolve this host name; expected a host name or IP address of this"
              + " machine, e.g. 0.0.0.0, 127.0.0.1 or ::",
          e);
    }
  }

  /**
   * client_java's HTTPServer prefers its own {@code io.prometheus.exporter.httpServer.port} over
   * the port we pass, which would silently defeat our port and range: refuse that combination.
   */
  static void checkClientJavaPort(Request request, Integer clientJavaPort) {
    if (clientJavaPort == null) {
      return;
    }
    if (request.range == null && clientJavaPort.equals(request.port)) {
      return;
    }
    throw new IllegalStateException(
        "Cannot start the Prometheus exporter: client_java's "
            + CLIENT_JAVA_PORT_KEY
            + "="
            + clientJavaPort
            + " overrides "
            + request.portDescription()
            + "; remove "
            + CLIENT_JAVA_PORT_KEY
            + " and configure the port with "
            + PORT_KEYS
            + " only");
  }

  private static Integer clientJavaPort() {
    PrometheusProperties properties = PrometheusProperties.get();
    return properties.getExporterHttpServerProperties() == null
        ? null
        : properties.getExporterHttpServerProperties().getPort();
  }

  static String hostPort(String address, int port) {
    boolean ipv6Literal = address.indexOf(':') >= 0 && !address.startsWith("[");
    return (ipv6Literal ? "[" + address + "]" : address) + ":" + port;
  }

  /** What a caller asked for: compared to tell a repeated start from a conflicting one. */
  static final class Request {
    final String address;
    final Integer port;
    final PortRange range;

    private Request(String address, Integer port, PortRange range) {
      this.address = address;
      this.port = port;
      this.range = range;
    }

    static Request of(PrometheusSettings settings) {
      // A range wins over a single port, so a port set next to it does not change the request.
      PortRange range = settings.get(ExporterSettings.PORT_RANGE);
      return new Request(
          settings.get(ExporterSettings.ADDRESS),
          range == null ? settings.get(ExporterSettings.PORT) : null,
          range);
    }

    String portDescription() {
      return range != null
          ? "prometheus.export.port-range=" + range
          : "prometheus.export.port=" + port;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Request)) {
        return false;
      }
      Request other = (Request) o;
      return address.equals(other.address)
          && Objects.equals(port, other.port)
          && Objects.equals(range, other.range);
    }

    @Override
    public int hashCode() {
      return Objects.hash(address, port, range);
    }

    @Override
    public String toString() {
      return "prometheus.export.address=" + address + ", " + portDescription();
    }
  }
}
