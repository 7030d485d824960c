package io.github.javaprometheus.jpa;

import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.MetricFamilies;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.Metamodel;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * django-prometheus's model families, {@code <p>_model_inserts_total}, {@code
 * <p>_model_updates_total} and {@code <p>_model_deletes_total}, labelled {@code model}. Created once
 * from {@link MetricFamilies}; the Hibernate listeners ({@link ModelMetricsIntegrator}), the JPA
 * entity listener ({@link ModelMetricsListener}) and {@link BulkOperations} count into it.
 */
public final class ModelMetrics {
  private final MetricFamilies families;
  final BoundedFamily<CounterDataPoint> inserts;
  final BoundedFamily<CounterDataPoint> updates;
  final BoundedFamily<CounterDataPoint> deletes;
  private final ConcurrentHashMap<String, ModelCounters> byModel = new ConcurrentHashMap<>();

  private ModelMetrics(MetricFamilies families) {
    this.families = Objects.requireNonNull(families, "families");
    inserts = families.counter("model_inserts", "Number of insert operations by model.", "model");
    updates = families.counter("model_updates", "Number of update operations by model.", "model");
    deletes = families.counter("model_deletes", "Number of delete operations by model.", "model");
  }

  /** The model families on the registry and with the names of {@code families}. */
  public static ModelMetrics create(MetricFamilies families) {
    return new ModelMetrics(families);
  }

  public MetricFamilies families() {
    return families;
  }

  /**
   * Creates the three series of a model at 0, as django-prometheus's mixin does, so dashboards see
   * the model before its first write.
   */
  public void register(String model) {
    counters(model);
  }

  /**
   * Creates the series of every entity of a persistence unit at 0; for providers other than
   * Hibernate, whose integrator already does it ({@code entityManagerFactory.getMetamodel()}).
   */
  public void registerEntities(Metamodel metamodel) {
    for (EntityType<?> entity : metamodel.getEntities()) {
      Class<?> type = entity.getJavaType();
      boolean dynamic = type == null || Map.class.isAssignableFrom(type);
      counters(ModelNames.of(dynamic ? null : type, entity.getName()));
    }
  }

  /** Counts {@code n} inserted rows of a model (a bulk operation the entity events do not see). */
  public void inserted(String model, long n) {
    add(counters(model).inserts, n);
  }

  /** Counts {@code n} updated rows of a model (a bulk operation the entity events do not see). */
  public void updated(String model, long n) {
    add(counters(model).updates, n);
  }

  /** Counts {@code n} deleted rows of a model (a bulk operation the entity events do not see). */
  public void deleted(String model, long n) {
    add(counters(model).deletes, n);
  }

  /** The label value of an entity class: {@link ModelLabel}, else its JPA entity name. */
  public static String modelName(Class<?> entityClass) {
    return ModelNames.of(entityClass);
  }

  private static void add(CounterDataPoint counter, long n) {
    if (n > 0) {
      counter.inc(n);
    }
  }

  /** The children of one model, resolved once per model. */
  ModelCounters counters(String model) {
    ModelCounters cached = byModel.get(model);
    if (cached != null) {
      return cached;
    }
    ModelCounters created = new ModelCounters(this, model);
    // Past max-label-values the children are the shared overflow ones: not kept under this model.
    return created.overflowed ? created : byModel.computeIfAbsent(model, m -> created);
  }

  /** Counts a failure of our own code; the application's write goes on as without the library. */
  void failed(Throwable error) {
    families.errors().record("jpa", error);
  }

  /** The three children of one model. */
  static final class ModelCounters {
    final CounterDataPoint inserts;
    final CounterDataPoint updates;
    final CounterDataPoint deletes;
    final boolean overflowed;

    ModelCounters(ModelMetrics metrics, String model) {
      inserts = metrics.inserts.label(model);
      updates = metrics.updates.label(model);
      deletes = metrics.deletes.label(model);
      overflowed =
          metrics.inserts.isOverflow(inserts)
              || metrics.updates.isOverflow(updates)
              || metrics.deletes.isOverflow(deletes);
    }
  }
}
