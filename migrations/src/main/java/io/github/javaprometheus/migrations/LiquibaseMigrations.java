package io.github.javaprometheus.migrations;

import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ResourceAccessor;

/**
 * Liquibase's applied and unapplied change sets, as django-prometheus counts Django's migrations:
 * applied = the change sets the {@code DATABASECHANGELOG} table records; unapplied = the change
 * sets of the change log that an {@code update} with the same contexts and labels would run.
 *
 * <p>Liquibase has no hook after an update, so the counts are read when {@link #record} is called:
 * the Spring Boot auto-configuration calls it after each {@code SpringLiquibase} bean ran its
 * update; an application running Liquibase itself calls it after {@code update}.
 */
public final class LiquibaseMigrations {
  private final DataSource dataSource;
  private final String changeLog;
  private final ResourceAccessor resources;
  private String contexts;
  private String labels;
  private String defaultSchema;
  private String liquibaseSchema;
  private String changeLogTable;
  private String changeLogLockTable;

  private LiquibaseMigrations(DataSource dataSource, String changeLog, ResourceAccessor resources) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.changeLog = Objects.requireNonNull(changeLog, "changeLog");
    this.resources = Objects.requireNonNull(resources, "resources");
  }

  /** The change log {@code changeLog}, read through {@code resources}, applied to {@code dataSource}. */
  public static LiquibaseMigrations of(
      DataSource dataSource, String changeLog, ResourceAccessor resources) {
    return new LiquibaseMigrations(dataSource, changeLog, resources);
  }

  /** Contexts of the update, comma separated; null or empty for all. */
  public LiquibaseMigrations contexts(String value) {
    this.contexts = value;
    return this;
  }

  /** Label expression of the update; null or empty for all. */
  public LiquibaseMigrations labels(String value) {
    this.labels = value;
    return this;
  }

  /** Schema of the application's objects, when not the connection's default. */
  public LiquibaseMigrations defaultSchema(String value) {
    this.defaultSchema = value;
    return this;
  }

  /** Schema of Liquibase's own tables, when not the default one. */
  public LiquibaseMigrations liquibaseSchema(String value) {
    this.liquibaseSchema = value;
    return this;
  }

  /** Name of the change log table, when not {@code DATABASECHANGELOG}. */
  public LiquibaseMigrations changeLogTable(String value) {
    this.changeLogTable = value;
    return this;
  }

  /** Name of the lock table, when not {@code DATABASECHANGELOGLOCK}. */
  public LiquibaseMigrations changeLogLockTable(String value) {
    this.changeLogLockTable = value;
    return this;
  }

  /** Reads the counts now and records them; a failure is counted, never thrown. */
  public void record(MigrationMetrics metrics, String connection) {
    if (!metrics.enabled()) {
      return;
    }
    try {
      long[] counts = counts();
      metrics.set(connection, counts[0], counts[1]);
    } catch (Exception | LinkageError e) {
      metrics.failed(e);
    }
  }

  /** {applied, unapplied}, read on a connection of our own, which is closed after. */
  long[] counts() throws Exception {
    try (Connection jdbc = dataSource.getConnection()) {
      Database database =
          DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(jdbc));
      if (notEmpty(defaultSchema)) {
        database.setDefaultSchemaName(defaultSchema);
      }
      if (notEmpty(liquibaseSchema)) {
        database.setLiquibaseSchemaName(liquibaseSchema);
      }
      if (notEmpty(changeLogTable)) {
        database.setDatabaseChangeLogTableName(changeLogTable);
      }
      if (notEmpty(changeLogLockTable)) {
        database.setDatabaseChangeLogLockTableName(changeLogLockTable);
      }
      Liquibase liquibase = new Liquibase(changeLog, resources, database);
      // false: only read; never create Liquibase's tables or take its lock.
      long unapplied =
          liquibase
              .listUnrunChangeSets(new Contexts(contexts), new LabelExpression(labels), false)
              .size();
      long applied = database.getRanChangeSetList().size();
      return new long[] {applied, unapplied};
    }
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
