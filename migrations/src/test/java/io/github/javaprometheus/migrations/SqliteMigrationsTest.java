package io.github.javaprometheus.migrations;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Flyway and Liquibase on SQLite files. */
class SqliteMigrationsTest extends MigrationsContract {
  @TempDir Path dir;
  private int n;

  @Override
  DataSource freshDatabase() {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("db" + (n++) + ".db"));
    return ds;
  }
}
