package io.github.javaprometheus.jpa;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;

/**
 * Counts model operations in every Hibernate session factory with no code: Hibernate finds this
 * class through {@code META-INF/services/org.hibernate.integrator.spi.Integrator} and it appends
 * post-commit insert, update and delete listeners, and creates the three series of every entity of
 * the metamodel at 0.
 *
 * <p>The families come from the session factory's property {@value #METRICS_PROPERTY}: a {@link
 * ModelMetrics} (the Spring Boot auto-configuration passes its own), or {@code false} to count
 * nothing. Without it: {@link MetricFamilies#defaults()}, and nothing when {@code prometheus.enabled}
 * or {@code prometheus.model-metrics} is false there.
 */
public final class ModelMetricsIntegrator implements Integrator {
  /** Session factory property: a {@link ModelMetrics}, or {@code false} (or "false") for none. */
  public static final String METRICS_PROPERTY = "io.github.javaprometheus.jpa.model-metrics";

  private static final System.Logger LOG = System.getLogger(ModelMetricsIntegrator.class.getName());

  @Override
  public void integrate(
      Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
    ModelMetrics metrics = metricsFrom(sessionFactory.getProperties().get(METRICS_PROPERTY));
    if (metrics == null) {
      return;
    }
    try {
      Map<String, ModelMetrics.ModelCounters> byEntityName = new HashMap<>();
      for (PersistentClass entity : metadata.getEntityBindings()) {
        String model = ModelNames.of(mappedClass(entity), entity.getJpaEntityName());
        byEntityName.put(entity.getEntityName(), metrics.counters(model));
      }
      HibernateModelListener listener = new HibernateModelListener(metrics, byEntityName);
      EventListenerRegistry listeners = sessionFactory.getEventListenerRegistry();
      listeners.appendListeners(EventType.POST_COMMIT_INSERT, listener);
      listeners.appendListeners(EventType.POST_COMMIT_UPDATE, listener);
      listeners.appendListeners(EventType.POST_COMMIT_DELETE, listener);
      CountingFactories.add(sessionFactory, metrics);
    } catch (RuntimeException | LinkageError e) {
      // The session factory starts as without the library.
      metrics.failed(e);
    }
  }

  @Override
  public void disintegrate(
      SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
    CountingFactories.remove(sessionFactory);
  }

  private static ModelMetrics metricsFrom(Object configured) {
    if (configured instanceof ModelMetrics) {
      return (ModelMetrics) configured;
    }
    if (Boolean.FALSE.equals(configured) || "false".equalsIgnoreCase(String.valueOf(configured).trim())) {
      return null;
    }
    if (configured != null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "java-prometheus: ignoring " + METRICS_PROPERTY + "=" + configured
              + " (expected a ModelMetrics or false); using the default settings");
    }
    // Bad settings must not stop the application from starting its persistence unit: the
    // listener logs them and counts nothing.
    return ModelMetricsListener.metrics();
  }

  private static Class<?> mappedClass(PersistentClass entity) {
    try {
      Class<?> type = entity.getMappedClass();
      return type == null || Map.class.isAssignableFrom(type) ? null : type;
    } catch (RuntimeException dynamicEntity) {
      // A dynamic-map entity has no class: its entity name is the label.
      return null;
    }
  }
}
