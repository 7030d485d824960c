package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.jpa.ModelMetrics;
import io.github.javaprometheus.jpa.ModelMetricsIntegrator;
import io.github.javaprometheus.jpa.ModelMetricsListener;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Model metrics with no code: {@code <p>_model_inserts_total}, {@code _updates_total}, {@code
 * _deletes_total} by entity. Hibernate's session factories are told which {@link ModelMetrics} to
 * count into through a {@link HibernatePropertiesCustomizer} (per context, so two contexts or a
 * DevTools restart each count into their own families), and to count nothing when model metrics are
 * off. {@link ModelMetricsListener}, for other JPA providers, gets the same families, and every
 * entity of every {@code EntityManagerFactory} bean its three series at 0.
 *
 * <p>{@code prometheus.model-metrics=false} (or {@code prometheus.enabled=false}) turns it off.
 */
@AutoConfiguration(after = JavaPrometheusAutoConfiguration.class)
@ConditionalOnClass({ModelMetrics.class, EntityManagerFactory.class})
public class ModelMetricsAutoConfiguration {

  /** The model families; define your own bean to count elsewhere. */
  @Bean
  @ConditionalOnBean(MetricFamilies.class)
  @ConditionalOnMissingBean
  @Conditional(SettingCondition.ModelMetricsOn.class)
  public ModelMetrics javaPrometheusModelMetrics(MetricFamilies families) {
    return families.component(ModelMetrics.class, ModelMetrics::create);
  }

  /**
   * Present whatever the settings say: with model metrics off it is what tells the JPA listener,
   * which would otherwise fall back to the default settings, to count nothing.
   */
  @Bean
  static ModelMetricsListenerSetup javaPrometheusModelMetricsListener(
      ObjectProvider<ModelMetrics> metrics, ObjectProvider<EntityManagerFactory> entityManagerFactories) {
    return new ModelMetricsListenerSetup(metrics, entityManagerFactories);
  }

  /** Hibernate: the families for the integrator, or {@code false}; never left to its defaults. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HibernatePropertiesCustomizer.class, ModelMetricsIntegrator.class})
  static class HibernateConfiguration {
    @Bean
    HibernatePropertiesCustomizer javaPrometheusModelMetricsHibernateProperties(
        ObjectProvider<ModelMetrics> metrics) {
      return properties -> {
        ModelMetrics m = metrics.getIfAvailable();
        properties.put(ModelMetricsIntegrator.METRICS_PROPERTY, m != null ? m : Boolean.FALSE);
      };
    }
  }

  /** Hands the families to the JPA listener and creates every entity's series at 0. */
  static final class ModelMetricsListenerSetup implements SmartInitializingSingleton, DisposableBean {
    private final ObjectProvider<ModelMetrics> metrics;
    private final ObjectProvider<EntityManagerFactory> entityManagerFactories;
    private ModelMetrics used;

    ModelMetricsListenerSetup(
        ObjectProvider<ModelMetrics> metrics,
        ObjectProvider<EntityManagerFactory> entityManagerFactories) {
      this.metrics = metrics;
      this.entityManagerFactories = entityManagerFactories;
    }

    @Override
    public void afterSingletonsInstantiated() {
      used = metrics.getIfAvailable();
      if (used == null) {
        ModelMetricsListener.disable();
        return;
      }
      ModelMetricsListener.useMetrics(used);
      for (EntityManagerFactory emf : entityManagerFactories) {
        try {
          used.registerEntities(emf.getMetamodel());
        } catch (RuntimeException | LinkageError e) {
          used.families().errors().record("jpa", e);
        }
      }
    }

    /** The last context started wins; closing it (a DevTools restart) goes back to the default. */
    @Override
    public void destroy() {
      ModelMetricsListener.useMetrics(null);
    }
  }
}
