package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** The {@code jdbc:prometheus:} driver, found through {@code DriverManager} like any driver. */
class PrometheusDriverTest {
  @TempDir Path dir;
  private final TestMetrics metrics = new TestMetrics();

  @BeforeEach
  void useTestFamilies() {
    PrometheusDriver.useMetrics(metrics.jdbc);
  }

  @AfterEach
  void backToTheDefault() {
    PrometheusDriver.useMetrics(null);
  }

  @Test
  void isRegisteredThroughTheServiceLoader() throws SQLException {
    assertThat(Collections.list(DriverManager.getDrivers()))
        .anyMatch(d -> d instanceof PrometheusDriver);
    Driver driver = DriverManager.getDriver("jdbc:prometheus:sqlite::memory:");
    assertThat(driver).isInstanceOf(PrometheusDriver.class);
    assertThat(driver.acceptsURL("jdbc:sqlite::memory:")).isFalse();
    assertThat(driver.connect("jdbc:sqlite::memory:", new Properties())).isNull();
  }

  @Test
  void opensTheRealUrlAndMeasuresIt() throws SQLException {
    String url = "jdbc:prometheus:sqlite:" + dir.resolve("d.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x INTEGER)");
      s.executeUpdate("INSERT INTO t VALUES (1)");
      assertThat(c.unwrap(SQLiteConnection.class).getClass().getName()).startsWith("org.sqlite.");
      assertThat(c.getMetaData().getURL()).isEqualTo("jdbc:sqlite:" + dir.resolve("d.db"));
    }
    assertThat(metrics.db("new_connections_total", "default", "sqlite")).isEqualTo(1);
    assertThat(metrics.db("execute_total", "default", "sqlite")).isEqualTo(2);
  }

  @Test
  void theAliasComesFromAConnectionPropertyTheRealDriverNeverSees() throws SQLException {
    Properties props = new Properties();
    props.setProperty(PrometheusDriver.ALIAS_PROPERTY, "orders");
    try (Connection c = DriverManager.getConnection("jdbc:prometheus:sqlite::memory:", props);
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
    assertThat(props.getProperty(PrometheusDriver.ALIAS_PROPERTY)).isEqualTo("orders");
    assertThat(metrics.db("new_connections_total", "orders", "sqlite")).isEqualTo(1);
    assertThat(metrics.db("execute_total", "orders", "sqlite")).isEqualTo(1);
  }

  @Test
  void aUrlNoDriverAcceptsIsANewConnectionError() {
    Throwable e = catchThrowable(() -> DriverManager.getConnection("jdbc:prometheus:nosuchdb://x"));
    assertThat(e).isInstanceOf(SQLException.class).hasMessageContaining("jdbc:nosuchdb://x");
    assertThat(metrics.db("new_connections_total", "default", "nosuchdb")).isEqualTo(1);
    assertThat(metrics.db("new_connection_errors_total", "default", "nosuchdb")).isEqualTo(1);
  }
}
