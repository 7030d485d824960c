package io.github.javaprometheus.jpa;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;

/**
 * Counts model operations under any JPA provider: add {@code
 * @EntityListeners(ModelMetricsListener.class)} to an entity (or list it as a default listener in
 * {@code orm.xml}). With Hibernate it is not needed and does nothing while {@link
 * ModelMetricsIntegrator} counts, so the same write is never counted twice.
 *
 * <p>JPA calls it after the provider wrote the row (at flush or commit). Inside a Spring-managed
 * transaction the count waits for the commit and a rollback counts nothing; elsewhere a write that
 * is rolled back after its flush stays counted, as JPA gives a listener no way to see the outcome.
 *
 * <p>The families come from {@link #useMetrics} (the Spring Boot auto-configuration calls it), else
 * from {@link PrometheusSettings#load()} on the default registry.
 */
public final class ModelMetricsListener {
  private static final System.Logger LOG = System.getLogger(ModelMetricsListener.class.getName());
  private static final Object LOCK = new Object();
  private static volatile ModelMetrics metrics;
  private static volatile boolean disabled;

  /** Families for writes from now on; null goes back to the default. */
  public static void useMetrics(ModelMetrics modelMetrics) {
    synchronized (LOCK) {
      metrics = modelMetrics;
      disabled = false;
    }
  }

  /** Turns counting off until {@link #useMetrics} is called again. */
  public static void disable() {
    synchronized (LOCK) {
      metrics = null;
      disabled = true;
    }
  }

  @PostPersist
  public void inserted(Object entity) {
    count(entity, Operation.INSERT);
  }

  @PostUpdate
  public void updated(Object entity) {
    count(entity, Operation.UPDATE);
  }

  @PostRemove
  public void deleted(Object entity) {
    count(entity, Operation.DELETE);
  }

  private static void count(Object entity, Operation operation) {
    if (entity == null || CountingFactories.any()) {
      return;
    }
    ModelMetrics m = metrics();
    if (m == null) {
      return;
    }
    try {
      ModelMetrics.ModelCounters counters = m.counters(ModelNames.of(entity.getClass()));
      AfterCommit.run(() -> operation.counter(counters).inc());
    } catch (RuntimeException | LinkageError e) {
      m.failed(e);
    }
  }

  /** The families in use, created from the settings at the first write; null when off. */
  static ModelMetrics metrics() {
    ModelMetrics m = metrics;
    if (m != null || disabled) {
      return m;
    }
    synchronized (LOCK) {
      if (metrics == null && !disabled) {
        try {
          PrometheusSettings settings = PrometheusSettings.load();
          if (settings.enabled() && settings.modelMetrics()) {
            metrics = ModelMetrics.create(MetricFamilies.create(settings));
          } else {
            disabled = true;
          }
        } catch (RuntimeException | LinkageError e) {
          // Bad settings must not break the application's writes.
          LOG.log(
              System.Logger.Level.WARNING,
              "java-prometheus: model metrics are off, the settings could not be loaded",
              e);
          disabled = true;
        }
      }
      return metrics;
    }
  }
}
