package io.github.javaprometheus.core;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * The one place where java-prometheus keeps state for a {@link PrometheusRegistry}: the families
 * created in it (so a second Spring context or a DevTools restart reuses them instead of failing on
 * a duplicate name), whether JVM metrics were registered, and the registry-wide objects of the
 * integration modules (pool gauges, migration gauges).
 *
 * <p><b>Lifetime:</b> exactly the registry's. The JVM-wide table refers to registries weakly, and
 * no value kept here may refer to its registry (directly or through a {@link MetricFamilies}):
 * values hold metrics, collectors and callbacks, which client_java never links back to the
 * registry. A registry the application drops is therefore collected together with all its
 * state. {@link PrometheusRegistry#defaultRegistry} lives as long as the JVM.
 */
public final class RegistryState {
  private static final Map<PrometheusRegistry, RegistryState> STATES = new WeakHashMap<>();

  private final Map<Object, Object> values = new HashMap<>(); // guarded by this

  private RegistryState() {}

  /** The state of {@code registry}, created on first use. */
  public static RegistryState of(PrometheusRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (STATES) {
      return STATES.computeIfAbsent(registry, r -> new RegistryState());
    }
  }

  /**
   * The value kept under {@code key}, created by {@code create} the first time. Creation runs under
   * this state's lock, so two callers never both register the same thing; it may itself ask for
   * other keys. The value must not refer to the registry (see the class comment).
   *
   * @throws IllegalStateException when the key holds a value of another type
   */
  public <T> T computeIfAbsent(Object key, Class<T> type, Supplier<? extends T> create) {
    Objects.requireNonNull(key, "key");
    synchronized (this) {
      Object existing = values.get(key);
      if (existing == null) {
        T created = Objects.requireNonNull(create.get(), "created value");
        values.put(key, created);
        return created;
      }
      if (!type.isInstance(existing)) {
        throw new IllegalStateException(
            "registry state " + key + " holds a " + existing.getClass().getName() + ", not a " + type.getName());
      }
      return type.cast(existing);
    }
  }

  /** Whether {@code key} was seen before; marks it seen. For things done once per registry. */
  public boolean firstTime(Object key) {
    synchronized (this) {
      return values.putIfAbsent(key, Boolean.TRUE) == null;
    }
  }

  /** How many registries currently have state; for leak tests. */
  static int liveStates() {
    synchronized (STATES) {
      return STATES.size();
    }
  }
}
