package io.github.javaprometheus.jpa;

import io.github.javaprometheus.core.BoundedChild;
import io.github.javaprometheus.core.BoundedFamily;
import io.github.javaprometheus.core.MetricFamilies;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;
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
  // The counters of every model past max-label-values: the three families' overflow children.
  private volatile ModelCounters overflow;

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

  /**
   * The children of one model, resolved once per model and kept. A model past {@code
   * max-label-values} gets the one instance holding the overflow children, which is not kept under
   * its name: names past the bound cannot grow the map.
   */
  ModelCounters counters(String model) {
    ModelCounters cached = byModel.get(model);
    if (cached != null) {
      return cached;
    }
    BoundedChild<CounterDataPoint> i = inserts.child(model);
    BoundedChild<CounterDataPoint> u = updates.child(model);
    BoundedChild<CounterDataPoint> d = deletes.child(model);
    if (i.isOverflow() && u.isOverflow() && d.isOverflow()) {
      ModelCounters o = overflow;
      if (o == null) {
        // A race makes two equal instances (the same three handles); either may be kept.
        o = new ModelCounters(i, u, d);
        overflow = o;
      }
      return o;
    }
    return byModel.computeIfAbsent(model, m -> new ModelCounters(i, u, d));
  }

  /** Counts a failure of our own code; the application's write goes on as without the library. */
  void failed(Throwable error) {
    families.errors().record("jpa", error);
  }

  /**
   * The three children of one model. A real child is its data point: recording into it counts
   * nothing else. An overflow child is an {@link OverflowWrites}, so every write goes through its
   * handle and is counted in {@code label_overflow_total}, as in every module.
   */
  static final class ModelCounters {
    final CounterDataPoint inserts;
    final CounterDataPoint updates;
    final CounterDataPoint deletes;

    ModelCounters(
        BoundedChild<CounterDataPoint> inserts,
        BoundedChild<CounterDataPoint> updates,
        BoundedChild<CounterDataPoint> deletes) {
      this.inserts = writes(inserts);
      this.updates = writes(updates);
      this.deletes = writes(deletes);
    }

    private static CounterDataPoint writes(BoundedChild<CounterDataPoint> child) {
      // get() on a real child returns its data point and counts nothing.
      return child.isOverflow() ? new OverflowWrites(child) : child.get();
    }
  }

  /**
   * The overflow child of one family as the data point the listeners increment: each increment asks
   * the handle for the data point, which counts the use. Write-only: the listeners never read a
   * child, and a read through the handle would count a use that recorded nothing.
   */
  static final class OverflowWrites implements CounterDataPoint {
    private final BoundedChild<CounterDataPoint> child;

    OverflowWrites(BoundedChild<CounterDataPoint> child) {
      this.child = child;
    }

    @Override
    public void inc() {
      child.get().inc();
    }

    @Override
    public void inc(long amount) {
      child.get().inc(amount);
    }

    @Override
    public void inc(double amount) {
      child.get().inc(amount);
    }

    @Override
    public void incWithExemplar(Labels labels) {
      child.get().incWithExemplar(labels);
    }

    @Override
    public void incWithExemplar(long amount, Labels labels) {
      child.get().incWithExemplar(amount, labels);
    }

    @Override
    public void incWithExemplar(double amount, Labels labels) {
      child.get().incWithExemplar(amount, labels);
    }

    @Override
    public double get() {
      throw new UnsupportedOperationException("write-only: read the overflow series from a scrape");
    }

    @Override
    public long getLongValue() {
      throw new UnsupportedOperationException("write-only: read the overflow series from a scrape");
    }
  }
}
