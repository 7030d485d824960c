package io.github.javaprometheus.jpa;

import java.nio.file.Path;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.io.TempDir;

/** The model counters on a SQLite file. */
class SqliteModelMetricsTest extends ModelOperationsContract {
  @TempDir Path dir;

  @Override
  HibernatePersistenceConfiguration unit() {
    return Units.sqlite(dir.resolve("models.db"));
  }
}
