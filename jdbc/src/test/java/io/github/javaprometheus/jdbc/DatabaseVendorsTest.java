package io.github.javaprometheus.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sqlite.SQLiteDataSource;

class DatabaseVendorsTest {

  @ParameterizedTest
  @CsvSource({
    "jdbc:postgresql://db:5432/app, postgresql",
    "jdbc:prometheus:postgresql://db/app, postgresql",
    "jdbc:p6spy:mysql://db/app, mysql",
    "jdbc:tc:postgresql:15:///app, postgresql",
    "jdbc:pgsql://db/app, postgresql",
    "jdbc:mariadb://db/app, mariadb",
    "jdbc:mysql://db/app, mysql",
    "JDBC:SQLite:demo.db, sqlite",
    "jdbc:h2:mem:x, h2",
    "jdbc:oracle:thin:@db:1521/XE, oracle",
    "jdbc:sqlserver://db;databaseName=app, sqlserver",
    "jdbc:jtds:sqlserver://db/app, sqlserver",
    "jdbc:db2://db:50000/app, db2",
    "jdbc:derby:memory:x, derby",
    "jdbc:weird-thing:x, unknown",
    "postgresql://db/app, unknown",
  })
  void readsTheVendorFromTheUrlThroughWrappingDrivers(String url, String vendor) {
    assertThat(DatabaseVendors.fromUrl(url)).isEqualTo(vendor);
  }

  @ParameterizedTest
  @CsvSource({
    "PostgreSQL, postgresql",
    "MariaDB, mariadb",
    "MySQL, mysql",
    "SQLite, sqlite",
    "H2, h2",
    "Microsoft SQL Server, sqlserver",
    "Oracle, oracle",
    "DB2/LINUXX8664, db2",
    "Apache Derby, apache_derby",
  })
  void readsTheVendorFromTheProductName(String product, String vendor) {
    assertThat(DatabaseVendors.fromProductName(product)).isEqualTo(vendor);
  }

  @Test
  void readsTheVendorOfADataSourceFromItsUrlGetter() {
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite::memory:");
    assertThat(DatabaseVendors.fromDataSource(sqlite)).isEqualTo("sqlite");
    assertThat(DatabaseVendors.fromUrl(null)).isEqualTo("unknown");
    assertThat(DatabaseVendors.fromProductName(" ")).isEqualTo("unknown");
  }
}
