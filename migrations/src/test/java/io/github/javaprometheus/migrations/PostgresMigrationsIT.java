package io.github.javaprometheus.migrations;

import io.github.javaprometheus.jdbc.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/** Flyway and Liquibase on a real PostgreSQL server, a new database per test. */
class PostgresMigrationsIT extends MigrationsContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  DataSource freshDatabase() throws Exception {
    String name = "migrations" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(postgres.jdbcUrl().replace("/postgres", "/" + name));
    ds.setUser(postgres.user());
    ds.setPassword(postgres.password());
    return ds;
  }
}
