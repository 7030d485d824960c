package io.github.javaprometheus.migrations;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.extensibility.MigrationType;

/**
 * Flyway's applied and unapplied migrations, as django-prometheus counts Django's: applied = the
 * migrations the schema history records as successfully applied (Flyway's own schema and baseline
 * markers left out); unapplied = the resolved migrations not applied yet: pending, above the
 * target, ignored, undone, a repeatable whose script changed, and a failed one (it runs again after
 * {@code repair}).
 *
 * <p>Two ways in: {@link #migrate} (or {@link #record} after migrating yourself) reads the counts at
 * once; the {@link #callback} added to a Flyway configuration refreshes them whenever a {@code
 * migrate} (also a failed one), {@code clean}, {@code repair} or {@code baseline} finishes, on a
 * background thread: the operation still holds its connection when Flyway calls back, and a pool of
 * one would make a second connection wait.
 */
public final class FlywayMigrations {
  /** Set while {@link #migrate} runs: it reads the counts itself right after. */
  private static final ThreadLocal<Boolean> READ_AFTER = new ThreadLocal<>();

  private FlywayMigrations() {}

  /**
   * Runs {@code flyway.migrate()} and records the counts right after, also when it fails (the
   * exception is rethrown unchanged).
   */
  public static void migrate(Flyway flyway, MigrationMetrics metrics, String connection) {
    around(flyway, metrics, connection, flyway::migrate);
  }

  /**
   * Runs {@code migration} (a migrate of {@code flyway}, however the application runs it) and
   * records the counts right after, on this thread, also when it throws.
   */
  public static void around(
      Flyway flyway, MigrationMetrics metrics, String connection, Runnable migration) {
    Boolean outer = READ_AFTER.get();
    READ_AFTER.set(Boolean.TRUE);
    try {
      migration.run();
    } finally {
      if (outer == null) {
        READ_AFTER.remove();
      }
      record(flyway, metrics, connection);
    }
  }

  /** Reads {@code flyway.info()} now and records its counts; a failure is counted, never thrown. */
  public static void record(Flyway flyway, MigrationMetrics metrics, String connection) {
    if (!metrics.enabled()) {
      return;
    }
    try {
      long[] counts = counts(flyway.info().all());
      metrics.set(connection, counts[0], counts[1]);
    } catch (RuntimeException | LinkageError e) {
      metrics.failed(e);
    }
  }

  /** A callback that refreshes the counts of {@code connection} after every Flyway operation. */
  public static Callback callback(MigrationMetrics metrics, String connection) {
    Objects.requireNonNull(connection, "connection");
    return callback(metrics, dataSource -> connection);
  }

  /**
   * As {@link #callback(MigrationMetrics, String)}, naming the connection from the data source
   * Flyway migrates, when the operation finishes.
   */
  public static Callback callback(
      MigrationMetrics metrics, Function<DataSource, String> connectionOf) {
    return new Refresh(metrics, connectionOf);
  }

  /** Recorded in the history, but to be applied (again): undone, or a changed repeatable. */
  private static final Set<MigrationState> TO_REAPPLY =
      EnumSet.of(MigrationState.UNDONE, MigrationState.OUTDATED);
  /** Resolved but never to be applied: below the baseline. */
  private static final Set<MigrationState> NEVER =
      EnumSet.of(MigrationState.BELOW_BASELINE, MigrationState.BASELINE_IGNORED);

  /** {applied, unapplied}. */
  static long[] counts(MigrationInfo[] all) {
    long applied = 0;
    long unapplied = 0;
    for (MigrationInfo info : all) {
      MigrationType type = info.getType();
      if (type != null && (type.isSynthetic() || type.isUndo())) {
        // Flyway's own schema and baseline markers, and undo scripts: not migrations of the schema.
        continue;
      }
      MigrationState state = info.getState();
      if (state.isApplied()
          && !state.isFailed()
          && !TO_REAPPLY.contains(state)
          && state != MigrationState.DELETED) {
        applied++;
      } else if (state.isResolved() && !NEVER.contains(state)) {
        // Pending, above the target, ignored (out of order), failed, undone or outdated.
        unapplied++;
      }
    }
    return new long[] {applied, unapplied};
  }

  private static final class Refresh implements Callback {
    private final MigrationMetrics metrics;
    private final Function<DataSource, String> connectionOf;

    Refresh(MigrationMetrics metrics, Function<DataSource, String> connectionOf) {
      this.metrics = metrics;
      this.connectionOf = connectionOf;
    }

    @Override
    public boolean supports(Event event, Context context) {
      switch (event) {
        case AFTER_MIGRATE_OPERATION_FINISH:
        case AFTER_MIGRATE_ERROR:
        case AFTER_CLEAN_OPERATION_FINISH:
        case AFTER_REPAIR_OPERATION_FINISH:
        case AFTER_BASELINE_OPERATION_FINISH:
        case AFTER_UNDO_OPERATION_FINISH:
          return metrics.enabled();
        default:
          return false;
      }
    }

    /** It never uses Flyway's connection, so where Flyway calls it does not matter. */
    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      if (Boolean.TRUE.equals(READ_AFTER.get())) {
        return;
      }
      try {
        Configuration configuration = context.getConfiguration();
        String connection = connectionOf.apply(configuration.getDataSource());
        metrics.refreshLater(() -> record(new Flyway(configuration), metrics, connection));
      } catch (RuntimeException | LinkageError e) {
        metrics.failed(e);
      }
    }

    @Override
    public String getCallbackName() {
      return "java-prometheus migrations";
    }
  }
}
