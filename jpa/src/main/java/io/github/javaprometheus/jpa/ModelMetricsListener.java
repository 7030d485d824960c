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
 * <p>The families are {@link MetricFamilies#defaults()}: those of the running Spring Boot context,
 * else families from {@link PrometheusSettings#load()} on the default registry, or those given to
 * {@link #useMetrics}. Nothing is counted when they say {@code prometheus.enabled=false} or {@code
 * prometheus.model-metrics=false}.
 */
public final class ModelMetricsListener {
  private static final Object LOCK = new Object();
  private static AutoCloseable installed; // guarded by LOCK
  private static volatile boolean disabled;

  /**
   * For an application without a framework: makes {@code modelMetrics}' families the JVM's
   * {@linkplain MetricFamilies#installDefault default}; null gives the previous default back.
   */
  public static void useMetrics(ModelMetrics modelMetrics) {
    synchronized (LOCK) {
      disabled = false;
      if (installed != null) {
        try {
          installed.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        installed = null;
      }
      if (modelMetrics != null) {
        installed = MetricFamilies.installDefault(modelMetrics.families());
      }
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

  /**
   * Counts nothing until {@link #useMetrics} is called again: what a framework whose settings turn
   * model metrics off tells the listener, whose defaults would not see those settings.
   */
  public static void disable() {
    synchronized (LOCK) {
      useMetrics(null);
      disabled = true;
    }
  }

  /** The families in use, from the JVM's default families; null when off. */
  static ModelMetrics metrics() {
    if (disabled) {
      return null;
    }
    // Bad settings must not break the application's writes.
    return MetricFamilies.defaultComponent(
        ModelMetrics.class, ModelSettings.MODEL_METRICS, ModelMetrics::create);
  }
}
