package io.github.javaprometheus.migrations;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.RegistryState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * django-prometheus's migration gauges, {@code <p>_migrations_applied} and {@code
 * <p>_migrations_unapplied}, labelled {@code connection} (the database alias, {@code default} for
 * the primary one). In the django profile they are exposed as django-prometheus names them, {@code
 * django_migrations_applied_total} and {@code django_migrations_unapplied_total}: gauges, despite
 * the suffix, on client_java 1.6.0 and later; on earlier ones (Spring Boot 4.0's 1.4.3), which
 * refuse such names, counter families whose series carry the same names (see {@link
 * MigrationGauges}).
 *
 * <p>{@link FlywayMigrations} and {@link LiquibaseMigrations} read the counts from the tools; any
 * other tool can call {@link #set}. With {@code prometheus.export-migrations=false} nothing is
 * registered and nothing recorded. The gauges are held by this process's registry, also in
 * multiprocess mode, like django-prometheus's {@code max} gauges every process reports the same
 * database.
 */
public final class MigrationMetrics {
  private final MetricFamilies families;
  private final MigrationGauges gauges;
  private final ThreadPoolExecutor refresher;

  private MigrationMetrics(MetricFamilies families) {
    this.families = Objects.requireNonNull(families, "families");
    // Disabled: registered nowhere, as every family of a disabled factory.
    this.gauges =
        families.enabled() && families.settings().get(MigrationSettings.EXPORT_MIGRATIONS)
            ? gaugesOf(families)
            : null;
    // One refresh at a time, in order; the thread ends when idle, so nothing lingers.
    this.refresher =
        new ThreadPoolExecutor(
            0,
            1,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread t = new Thread(task, "java-prometheus-migrations");
              t.setDaemon(true);
              return t;
            });
  }

  /** The migration gauges on the registry and with the names of {@code families}. */
  public static MigrationMetrics create(MetricFamilies families) {
    return new MigrationMetrics(families);
  }

  public MetricFamilies families() {
    return families;
  }

  /** Whether the gauges are exposed ({@code prometheus.export-migrations}). */
  public boolean enabled() {
    return gauges != null;
  }

  /** Records the counts of one database connection, replacing the previous ones. */
  public void set(String connection, long applied, long unapplied) {
    if (gauges != null) {
      gauges.set(Objects.requireNonNull(connection, "connection"), applied, unapplied);
    }
  }

  /** The exposed family names: {@code applied} first; empty when turned off. */
  public List<String> names() {
    return gauges == null ? List.of() : gauges.names();
  }

  /** Counts a failure of our own code; the migration itself is not affected. */
  void failed(Throwable error) {
    families.errors().record("migrations", error);
  }

  /** Runs a refresh on this instance's refresh thread, after whatever refresh is queued. */
  void refreshLater(Runnable refresh) {
    if (gauges == null) {
      return;
    }
    refresher.execute(
        () -> {
          try {
            refresh.run();
          } catch (RuntimeException | LinkageError e) {
            failed(e);
          }
        });
  }

  private static MigrationGauges gaugesOf(MetricFamilies families) {
    // django-prometheus's gauges end in _total; in the java profile the names follow the design.
    String suffix = families.settings().profile().isDjango() ? "_total" : "";
    String appliedName = families.name("migrations_applied") + suffix;
    PrometheusRegistry registry = families.registry();
    // Kept per registry (RegistryState: the gauges never refer to their registry), so a second
    // context reuses the collector instead of failing on its names.
    return RegistryState.of(registry)
        .computeIfAbsent(
            "migrations:" + appliedName,
            MigrationGauges.class,
            () -> {
              MigrationGauges created =
                  new MigrationGauges(appliedName, families.name("migrations_unapplied") + suffix);
              registry.register(created);
              return created;
            });
  }
}
