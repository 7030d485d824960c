package io.github.javaprometheus.jdbc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The {@code vendor} label: {@code postgresql}, {@code mysql}, {@code mariadb}, {@code sqlite},
 * {@code h2}, {@code oracle}, {@code sqlserver}, ... read from a JDBC URL, a {@code DataSource} or
 * a connection's metadata. As Django's {@code connection.vendor}, lower case and without version.
 */
public final class DatabaseVendors {
  /** The vendor of a database this class cannot name. */
  public static final String UNKNOWN = "unknown";

  // Wrapping URL schemes whose real database follows them: jdbc:p6spy:postgresql://...
  private static final String[] WRAPPERS = {
    "prometheus", "p6spy", "otel", "tc", "log4jdbc", "tracing"
  };

  private DatabaseVendors() {}

  /** The vendor of a JDBC URL ({@code jdbc:postgresql://...}: {@code postgresql}), else unknown. */
  public static String fromUrl(String url) {
    if (url == null) {
      return UNKNOWN;
    }
    String rest = url.trim();
    if (!rest.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return UNKNOWN;
    }
    rest = rest.substring(5);
    while (true) {
      int colon = rest.indexOf(':');
      String scheme = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
      if (colon > 0 && isWrapper(scheme)) {
        rest = rest.substring(colon + 1);
        continue;
      }
      return normalize(scheme);
    }
  }

  /** The vendor of a {@code DatabaseMetaData.getDatabaseProductName()}, else {@link #UNKNOWN}. */
  public static String fromProductName(String product) {
    if (product == null || product.isBlank()) {
      return UNKNOWN;
    }
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return "postgresql";
    }
    if (p.contains("mariadb")) {
      return "mariadb";
    }
    if (p.contains("mysql")) {
      return "mysql";
    }
    if (p.contains("sqlite")) {
      return "sqlite";
    }
    if (p.contains("sql server")) {
      return "sqlserver";
    }
    if (p.contains("oracle")) {
      return "oracle";
    }
    if (p.startsWith("db2")) {
      return "db2";
    }
    return normalize(p.replace(' ', '_'));
  }

  /** The vendor of an open connection: its URL, else its product name; never throws. */
  static String fromConnection(Connection connection) {
    try {
      DatabaseMetaData meta = connection.getMetaData();
      String vendor = fromUrl(meta.getURL());
      return vendor.equals(UNKNOWN) ? fromProductName(meta.getDatabaseProductName()) : vendor;
    } catch (Exception | LinkageError e) {
      return UNKNOWN;
    }
  }

  /**
   * The vendor of a {@code DataSource} before any connection: its {@code getUrl()}, {@code
   * getURL()} or {@code getJdbcUrl()} when it has one (SQLite, PostgreSQL, MariaDB, H2, Spring's
   * driver data sources, HikariCP), else its package; never throws.
   */
  static String fromDataSource(DataSource dataSource) {
    for (String getter : new String[] {"getJdbcUrl", "getUrl", "getURL"}) {
      try {
        Method m = dataSource.getClass().getMethod(getter);
        if (m.getReturnType() == String.class
            && Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
          String vendor = fromUrl((String) m.invoke(dataSource));
          if (!vendor.equals(UNKNOWN)) {
            return vendor;
          }
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        // not this getter; try the next one
      }
    }
    String type = dataSource.getClass().getName();
    if (type.startsWith("org.postgresql.")) {
      return "postgresql";
    }
    if (type.startsWith("org.mariadb.")) {
      return "mariadb";
    }
    if (type.startsWith("com.mysql.")) {
      return "mysql";
    }
    if (type.startsWith("org.sqlite.")) {
      return "sqlite";
    }
    if (type.startsWith("org.h2.")) {
      return "h2";
    }
    if (type.startsWith("oracle.")) {
      return "oracle";
    }
    if (type.startsWith("com.microsoft.sqlserver.")) {
      return "sqlserver";
    }
    return UNKNOWN;
  }

  private static boolean isWrapper(String scheme) {
    for (String w : WRAPPERS) {
      if (w.equals(scheme)) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String scheme) {
    switch (scheme) {
      case "postgresql":
      case "postgres":
      case "pgsql":
        return "postgresql";
      case "mysql":
      case "mysqlx":
        return "mysql";
      case "mariadb":
        return "mariadb";
      case "sqlite":
        return "sqlite";
      case "h2":
        return "h2";
      case "oracle":
        return "oracle";
      case "sqlserver":
      case "jtds":
        return "sqlserver";
      default:
        return scheme.isEmpty() || !scheme.matches("[a-z0-9_]+") ? UNKNOWN : scheme;
    }
  }
}
