package io.github.javaprometheus.jpa;

import io.github.javaprometheus.jdbc.testing.PostgresServer;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The model counters on a real PostgreSQL server: concurrent writers really run in parallel. */
class PostgresModelMetricsIT extends ModelOperationsContract {
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
  HibernatePersistenceConfiguration unit() {
    return Units.postgres(postgres.jdbcUrl(), postgres.user(), postgres.password());
  }
}
