package io.github.javaprometheus.exporter;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.core.Secret;
import io.prometheus.metrics.config.ExporterPushgatewayProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.pushgateway.HttpConnectionFactory;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Pushes a registry to a Prometheus Pushgateway, for batch jobs that end before Prometheus scrapes
 * them: once when closed, and every {@code prometheus.pushgateway.interval} while open. Pushing
 * is client_java's {@link PushGateway} ({@code PUT}: the group {@code job} + grouping key holds
 * exactly this registry's metrics after each push), configured from {@link PushgatewaySettings}.
 *
 * <pre>{@code
 * try (MetricsPusher pusher = MetricsPusher.start(settings, registry)) {
 *   runTheJob();
 * } // pushed here
 * }</pre>
 *
 * A job that may end with {@code System.exit} uses {@link #closeAtShutdown()} instead, so the last
 * push happens in a JVM shutdown hook.
 *
 * <p>A push never fails the job: an unreachable or refusing Pushgateway is one WARNING line
 * (System.Logger), without a stack trace, and the job's result and exit code are its own. Every
 * push runs on one daemon thread; {@link #close()} waits for the last one at most {@code
 * prometheus.pushgateway.timeout} (default 5 s, also the connect and read timeouts), so a
 * Pushgateway that does not answer delays the end of the job by at most that.
 */
public final class MetricsPusher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MetricsPusher.class.getName());
  private static final String CLIENT_JAVA_PREFIX = "io.prometheus.exporter.pushgateway.";

  private static final MetricsPusher INACTIVE = new MetricsPusher();

  /** Whether System.Logger goes to java.util.logging (no other LoggerFinder installed). */
  private static final boolean JUL_BACKEND =
      System.LoggerFinder.getLoggerFinder()
          .getClass()
          .getName()
          .equals("sun.util.logging.internal.LoggingProviderImpl");

  private final PushGateway pushGateway;
  private final PushgatewaySettings.Address address;
  private final String job;
  private final Map<String, String> groupingKey;
  private final Duration interval;
  private final Duration timeout;
  private final ScheduledExecutorService executor;
  private final Object lock = new Object();
  private ScheduledFuture<?> periodic; // guarded by lock
  private Thread shutdownHook; // guarded by lock
  private boolean closed; // guarded by lock
  private volatile boolean failing;
  private final java.util.logging.Handler[] julHandlers;

  private MetricsPusher() {
    this.pushGateway = null;
    this.address = null;
    this.job = null;
    this.groupingKey = Map.of();
    this.interval = null;
    this.timeout = Duration.ZERO;
    this.executor = null;
    this.closed = true;
    this.julHandlers = new java.util.logging.Handler[0];
  }

  private MetricsPusher(
      PushGateway pushGateway,
      PushgatewaySettings.Address address,
      String job,
      Map<String, String> groupingKey,
      Duration interval,
      Duration timeout) {
    this.pushGateway = pushGateway;
    this.address = address;
    this.job = job;
    this.groupingKey = groupingKey;
    this.interval = interval;
    this.timeout = timeout;
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "java-prometheus-pushgateway");
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.executor = pool;
    this.julHandlers =
        JUL_BACKEND
            ? java.util.logging.Logger.getLogger("").getHandlers()
            : new java.util.logging.Handler[0];
  }

  /** As {@link #start(PrometheusSettings, PrometheusRegistry, String)} with no default job. */
  public static MetricsPusher start(PrometheusSettings settings, PrometheusRegistry registry) {
    return start(settings, registry, null);
  }

  /**
   * A pusher of {@code registry} to the Pushgateway of {@code prometheus.pushgateway.address},
   * pushing every {@code prometheus.pushgateway.interval} (when set) from now on and once more on
   * {@link #close()}.
   *
   * @param defaultJob the job when {@code prometheus.pushgateway.job} is unset (Spring Boot passes
   *     {@code spring.application.name}); may be null
   * @return an inactive pusher, which never pushes, when no address is set or {@code
   *     prometheus.enabled} is false
   * @throws InvalidSettingException when the settings do not fit together (no job, a user without
   *     a password, a truststore that cannot be read, ...); the message names the key
   * @throws IllegalStateException when client_java's own {@code
   *     io.prometheus.exporter.pushgateway.*} properties are set: they would not be used
   */
  public static MetricsPusher start(
      PrometheusSettings settings, PrometheusRegistry registry, String defaultJob) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(registry, "registry");
    if (!PushgatewaySettings.configured(settings)) {
      return INACTIVE;
    }
    PushgatewaySettings.Address address = settings.get(PushgatewaySettings.ADDRESS);
    String job = settings.get(PushgatewaySettings.JOB);
    if (job == null) {
      job = defaultJob == null || defaultJob.isBlank() ? null : defaultJob.trim();
    }
    if (job == null) {
      throw new InvalidSettingException(
          PushgatewaySettings.JOB.key(),
          null,
          "a job name is required with prometheus.pushgateway.address (env "
              + PushgatewaySettings.JOB.environmentVariable()
              + "), e.g. nightly-import");
    }
    Map<String, String> groupingKey = settings.get(PushgatewaySettings.GROUPING_KEY);
    Duration timeout = settings.get(PushgatewaySettings.TIMEOUT);
    PrometheusProperties clientJava = PrometheusProperties.get();
    refuseClientJavaProperties(clientJava.getExporterPushgatewayProperties());

    ExporterPushgatewayProperties.Builder own = ExporterPushgatewayProperties.builder();
    if (clientJava.getExporterPushgatewayProperties() != null
        && clientJava.getExporterPushgatewayProperties().getEscapingScheme() != null) {
      own.escapingScheme(clientJava.getExporterPushgatewayProperties().getEscapingScheme());
    }
    // Our settings are the only source of address, job and timeouts: client_java's builder would
    // otherwise let its own properties win over what we set.
    PushGateway.Builder builder =
        PushGateway.builder(
                PrometheusProperties.builder()
                    .exporterProperties(clientJava.getExporterProperties())
                    .pushgatewayProperties(own.build())
                    .build())
            .registry(registry)
            .address(address.hostPortPath())
            .scheme(address.https() ? Scheme.HTTPS : Scheme.HTTP)
            .job(job)
            .connectionTimeout(timeout)
            .readTimeout(timeout);
    groupingKey.forEach(builder::groupingKey);
    basicAuth(settings, builder);
    SSLSocketFactory trust = trust(settings, address);
    if (trust != null) {
      builder.connectionFactory(new TrustingConnectionFactory(trust));
    }
    MetricsPusher pusher =
        new MetricsPusher(
            builder.build(),
            address,
            job,
            groupingKey,
            settings.get(PushgatewaySettings.INTERVAL),
            timeout);
    pusher.schedule();
    LOG.log(
        Level.INFO,
        "Pushing metrics to the Pushgateway "
            + pusher
            + (pusher.interval == null
                ? " when the job ends"
                : " every " + describe(pusher.interval) + " and when the job ends"));
    return pusher;
  }

  /** Whether this pusher pushes (false when no address is set, or once closed). */
  public boolean isActive() {
    synchronized (lock) {
      return !closed;
    }
  }

  /** The job label of the pushed group; null for an inactive pusher. */
  public String job() {
    return job;
  }

  /** The grouping key besides {@code job}. */
  public Map<String, String> groupingKey() {
    return groupingKey;
  }

  /**
   * Closes this pusher (the last push) in a JVM shutdown hook too, for jobs that may end with
   * {@code System.exit} before {@link #close()} is reached. Closing it earlier removes the hook.
   *
   * @return this
   */
  public MetricsPusher closeAtShutdown() {
    synchronized (lock) {
      if (closed || shutdownHook != null) {
        return this;
      }
      shutdownHook = new Thread(this::close, "java-prometheus-pushgateway-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    return this;
  }

  /**
   * Pushes now, waiting at most {@code prometheus.pushgateway.timeout}.
   *
   * @return whether the Pushgateway took the push; false (after one WARNING line) when it did not
   *     or when this pusher is inactive
   */
  public boolean push() {
    synchronized (lock) {
      if (closed) {
        return false;
      }
    }
    return pushAndWait("push");
  }

  /**
   * Stops the periodic pushes and pushes one last time, waiting at most {@code
   * prometheus.pushgateway.timeout}. Never throws; a failure is one WARNING line. Further calls do
   * nothing.
   */
  @Override
  public void close() {
    Thread hook;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (periodic != null) {
        periodic.cancel(false);
      }
      hook = shutdownHook;
      shutdownHook = null;
    }
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting: the hook runs close() again, which returns at once.
      }
    }
    try {
      pushAndWait("last push");
    } finally {
      executor.shutdownNow();
    }
  }

  /** {@code http(s)://host:port/path (job=..., name=value, ...)}. */
  @Override
  public String toString() {
    if (address == null) {
      return "MetricsPusher(inactive)";
    }
    StringBuilder b = new StringBuilder(address.toString()).append(" (job=").append(job);
    groupingKey.forEach((k, v) -> b.append(", ").append(k).append('=').append(v));
    return b.append(')').toString();
  }

  // ---- pushing ----

  private void schedule() {
    if (interval == null) {
      return;
    }
    long millis = interval.toMillis();
    synchronized (lock) {
      periodic =
          executor.scheduleWithFixedDelay(
              () -> pushOnce("periodic push", true), millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  private boolean pushAndWait(String what) {
    Future<Boolean> result;
    try {
      result = executor.submit(() -> pushOnce(what, false));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return false;
    }
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      warn(what, "no answer within " + describe(timeout) + " (prometheus.pushgateway.timeout)");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.cancel(true);
      warn(what, "interrupted while waiting for the Pushgateway");
      return false;
    } catch (ExecutionException e) {
      warn(what, message(e.getCause()));
      return false;
    }
  }

  /**
   * One push on the pusher thread. A periodic push logs the first failure of a run of failures,
   * and the recovery; the last push logs every failure.
   */
  private boolean pushOnce(String what, boolean periodicPush) {
    try {
      pushGateway.push();
    } catch (IOException | RuntimeException e) {
      if (!periodicPush || !failing) {
        warn(what, message(e));
      }
      failing = true;
      return false;
    }
    if (failing && periodicPush) {
      LOG.log(Level.INFO, "Pushing metrics to the Pushgateway " + this + " works again");
    }
    failing = false;
    return true;
  }

  private void warn(String what, String reason) {
    String line =
        "Could not push metrics to the Pushgateway "
            + this
            + " ("
            + what
            + "): "
            + reason
            + "; the job goes on unchanged";
    if (!julResetByShutdown()) {
      LOG.log(Level.WARNING, line);
      return;
    }
    // java.util.logging (System.Logger's default backend) resets itself in a shutdown hook of its
    // own, which runs beside ours: the last push of a job that called System.exit would fail
    // silently. Hand the line to the handlers JUL had when this pusher started instead.
    java.util.logging.LogRecord record =
        new java.util.logging.LogRecord(java.util.logging.Level.WARNING, line);
    record.setLoggerName(MetricsPusher.class.getName());
    for (java.util.logging.Handler handler : julHandlers) {
      handler.publish(record);
      handler.flush();
    }
  }

  private boolean julResetByShutdown() {
    if (julHandlers.length == 0
        || java.util.logging.Logger.getLogger("").getHandlers().length > 0
        || !JUL_BACKEND) {
      return false;
    }
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
  }

  /** The exception's message on one line: it goes into a single log line. */
  private static String message(Throwable e) {
    // client_java wraps a failed connection in "Failed to push metrics to the Prometheus
    // Pushgateway on <url>: <cause>"; our line names the Pushgateway already.
    if (e.getCause() != null
        && e.getMessage() != null
        && e.getMessage().startsWith("Failed to push metrics")) {
      e = e.getCause();
    }
    String m = e.getMessage();
    String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    text = text.replaceAll("\\s+", " ").trim();
    if (e instanceof java.net.ConnectException
        || e instanceof java.net.UnknownHostException
        || e instanceof java.net.SocketTimeoutException) {
      text = e.getClass().getSimpleName() + ": " + text;
    }
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  // ---- configuration ----

  /**
   * client_java's {@code PushGateway.Builder} prefers its own properties over what we set; we
   * build it without them, so refuse them rather than ignore them silently.
   */
  static void refuseClientJavaProperties(ExporterPushgatewayProperties p) {
    if (p == null) {
      return;
    }
    String[][] set = {
      {"address", p.getAddress() == null ? null : "prometheus.pushgateway.address"},
      {"job", p.getJob() == null ? null : "prometheus.pushgateway.job"},
      {"scheme", p.getScheme() == null ? null : "prometheus.pushgateway.address (https://...)"},
      {"connectTimeout", p.getConnectTimeout() == null ? null : "prometheus.pushgateway.timeout"},
      {"readTimeout", p.getReadTimeout() == null ? null : "prometheus.pushgateway.timeout"},
    };
    for (String[] s : set) {
      if (s[1] != null) {
        throw new IllegalStateException(
            "Cannot push to the Pushgateway: client_java's "
                + CLIENT_JAVA_PREFIX
                + s[0]
                + " is set, but java-prometheus configures the Pushgateway with prometheus.pushgateway.*"
                + " only; remove it and set "
                + s[1]);
      }
    }
  }

  private static void basicAuth(PrometheusSettings settings, PushGateway.Builder builder) {
    String user = settings.get(PushgatewaySettings.USERNAME);
    Secret password = settings.get(PushgatewaySettings.PASSWORD);
    if (user == null && password == null) {
      return;
    }
    if (user == null) {
      throw new InvalidSettingException(
          PushgatewaySettings.USERNAME.key(),
          null,
          "prometheus.pushgateway.password is set: basic auth needs a user name too");
    }
    if (password == null) {
      throw new InvalidSettingException(
          PushgatewaySettings.PASSWORD.key(),
          null,
          "prometheus.pushgateway.username is set: basic auth needs a password too");
    }
    char[] p = password.reveal();
    try {
      // client_java takes a String and keeps only the encoded header.
      builder.basicAuth(user, new String(p));
    } finally {
      Arrays.fill(p, '\0');
    }
  }

  private static SSLSocketFactory trust(
      PrometheusSettings settings, PushgatewaySettings.Address address) {
    String file = settings.get(PushgatewaySettings.TLS_TRUSTSTORE);
    Secret password = settings.get(PushgatewaySettings.TLS_TRUSTSTORE_PASSWORD);
    String key = PushgatewaySettings.TLS_TRUSTSTORE.key();
    if (file == null) {
      if (password != null) {
        throw new InvalidSettingException(
            PushgatewaySettings.TLS_TRUSTSTORE_PASSWORD.key(),
            "<hidden>",
            "a truststore password needs " + key);
      }
      return null;
    }
    if (!address.https()) {
      throw new InvalidSettingException(
          key, file, "a truststore is for an https:// prometheus.pushgateway.address");
    }
    Path path = Paths.get(file);
    if (!Files.isReadable(path)) {
      throw new InvalidSettingException(key, file, "expected a readable keystore file");
    }
    char[] p = password == null ? null : password.reveal();
    try {
      KeyStore store = KeyStore.getInstance(path.toFile(), p);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidSettingException(
          key,
          file,
          "cannot read it as a PKCS#12 or JKS keystore with"
              + " prometheus.pushgateway.tls.truststore-password ("
              + e.getClass().getSimpleName()
              + ")");
    } finally {
      if (p != null) {
        Arrays.fill(p, '\0');
      }
    }
  }

  /** HTTPS connections that trust the configured truststore (hostnames still verified). */
  private static final class TrustingConnectionFactory implements HttpConnectionFactory {
    private final SSLSocketFactory sockets;

    TrustingConnectionFactory(SSLSocketFactory sockets) {
      this.sockets = sockets;
    }

    @Override
    public HttpURLConnection create(URL url) throws IOException {
      HttpURLConnection connection = (HttpURLConnection) url.openConnection();
      if (connection instanceof HttpsURLConnection) {
        ((HttpsURLConnection) connection).setSSLSocketFactory(sockets);
      }
      return connection;
    }
  }
}
