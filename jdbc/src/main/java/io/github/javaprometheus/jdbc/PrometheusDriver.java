package io.github.javaprometheus.jdbc;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The {@code jdbc:prometheus:} driver: {@code jdbc:prometheus:postgresql://db/app} opens {@code
 * jdbc:postgresql://db/app} with the real driver and measures it, as django-prometheus's database
 * backends do. Every connect is a physical connection, so a pool configured with this URL counts
 * its real connections, not its checkouts.
 *
 * <p>The {@code alias} label is {@code default} unless the connection property {@value
 * #ALIAS_PROPERTY} says otherwise (it is not passed on to the real driver). The families are {@link
 * MetricFamilies#defaults()}: the running Spring Boot context's, those given to {@link #useMetrics},
 * else from {@link PrometheusSettings#load()} on the default registry. With {@code prometheus.enabled=false} or
 * {@code prometheus.jdbc-metrics=false} connections are the real driver's own.
 */
public final class PrometheusDriver implements Driver {
  /** URLs this driver accepts start with it; the rest, after {@code jdbc:}, is the real URL. */
  public static final String URL_PREFIX = "jdbc:prometheus:";
  /** Connection property naming the {@code alias} label. */
  public static final String ALIAS_PROPERTY = "prometheusAlias";

  private static final Object LOCK = new Object();
  private static AutoCloseable installed; // guarded by LOCK

  static {
    try {
      DriverManager.registerDriver(new PrometheusDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * For an application without a framework: makes {@code jdbcMetrics}' families the JVM's
   * {@linkplain MetricFamilies#installDefault default}; null gives the previous default back.
   */
  public static void useMetrics(JdbcMetrics jdbcMetrics) {
    synchronized (LOCK) {
      if (installed != null) {
        try {
          installed.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        installed = null;
      }
      if (jdbcMetrics != null) {
        installed = MetricFamilies.installDefault(jdbcMetrics.families());
      }
    }
  }

  /** The families in use, from {@link MetricFamilies#defaults()}; null when off. */
  static JdbcMetrics metrics() {
    // Bad settings must not stop the application from reaching its database.
    return MetricFamilies.defaultComponent(
        JdbcMetrics.class, JdbcSettings.JDBC_METRICS, JdbcMetrics::create);
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(URL_PREFIX);
  }

  /** The URL the real driver gets. */
  static String realUrl(String url) {
    return "jdbc:" + url.substring(URL_PREFIX.length());
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null; // as JDBC asks of a driver given a URL that is not its own
    }
    String realUrl = realUrl(url);
    Properties properties = info;
    String alias = "default";
    if (info != null && info.getProperty(ALIAS_PROPERTY) != null) {
      alias = info.getProperty(ALIAS_PROPERTY);
      properties = new Properties();
      properties.putAll(info);
      properties.remove(ALIAS_PROPERTY);
    }
    JdbcMetrics m = metrics();
    DatabaseLabels labels = null;
    if (m != null) {
      try {
        labels = m.labels(alias, DatabaseVendors.fromUrl(realUrl));
      } catch (RuntimeException e) {
        m.failed(e);
      }
    }
    Connection connection;
    try {
      connection = realDriver(realUrl).connect(realUrl, properties);
    } catch (Throwable e) {
      if (labels != null) {
        labels.connectionFailed();
      }
      throw e;
    }
    if (connection == null || labels == null) {
      return connection;
    }
    labels.connected();
    return new InstrumentedConnection(connection, labels);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return new DriverPropertyInfo[0];
    }
    String realUrl = realUrl(url);
    return realDriver(realUrl).getPropertyInfo(realUrl, info);
  }

  private static Driver realDriver(String realUrl) throws SQLException {
    try {
      return DriverManager.getDriver(realUrl);
    } catch (SQLException e) {
      // DriverManager says only "No suitable driver": name the URL that found none.
      throw new SQLException(
          "No JDBC driver accepts "
              + realUrl
              + " (the URL after jdbc:prometheus:); is its driver on the classpath?",
          "08001",
          e);
    }
  }

  @Override
  public int getMajorVersion() {
    return 0;
  }

  @Override
  public int getMinorVersion() {
    return 1;
  }

  /** Not claimed: compliance is the real driver's. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public java.util.logging.Logger getParentLogger() {
    // The java.util.logging type is what the JDBC interface asks for.
    return java.util.logging.Logger.getLogger("io.github.javaprometheus.jdbc");
  }
}
