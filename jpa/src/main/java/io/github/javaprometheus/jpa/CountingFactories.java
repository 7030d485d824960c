package io.github.javaprometheus.jpa;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The Hibernate session factories our listeners count for, with their families. Free of Hibernate
 * types, so {@link ModelMetricsListener} can ask it under any JPA provider.
 */
final class CountingFactories {
  private static final Map<Object, ModelMetrics> ACTIVE = new WeakHashMap<>();
  /** Read on every JPA listener callback: a volatile read, not the lock. */
  private static volatile boolean any;

  private CountingFactories() {}

  static void add(Object sessionFactory, ModelMetrics metrics) {
    synchronized (ACTIVE) {
      ACTIVE.put(sessionFactory, metrics);
      any = true;
    }
  }

  static void remove(Object sessionFactory) {
    synchronized (ACTIVE) {
      ACTIVE.remove(sessionFactory);
      any = !ACTIVE.isEmpty();
    }
  }

  /** The families a session factory counts into, or null when our listeners are not in it. */
  static ModelMetrics metricsFor(Object sessionFactory) {
    synchronized (ACTIVE) {
      return ACTIVE.get(sessionFactory);
    }
  }

  /** Whether an open session factory of this JVM counts through our Hibernate listeners. */
  static boolean any() {
    return any;
  }
}
