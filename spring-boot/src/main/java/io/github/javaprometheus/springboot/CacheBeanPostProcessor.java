package io.github.javaprometheus.springboot;

import io.github.javaprometheus.cache.CacheMetrics;
import io.github.javaprometheus.cache.Metered;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Wraps the beans of one cache type (Spring {@code CacheManager}, Caffeine {@code Cache}, ...) so
 * their gets are counted. A bean already metered is left alone, so nothing is wrapped twice. A
 * wrapper that would not fit where the bean is declared (a {@code @Bean} method returning a
 * concrete class the wrapper is not) is dropped with a log line: metrics must never break wiring.
 */
final class CacheBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {
  private static final System.Logger LOG = System.getLogger(CacheBeanPostProcessor.class.getName());

  /** Wraps one bean; returns the bean itself when it only needs instrumenting in place. */
  interface Wrapper {
    Object wrap(Object bean, String beanName, CacheMetrics metrics);
  }

  private final Class<?> type;
  private final ObjectProvider<CacheMetrics> metrics;
  private final Wrapper wrapper;
  private ConfigurableListableBeanFactory beanFactory;

  CacheBeanPostProcessor(Class<?> type, ObjectProvider<CacheMetrics> metrics, Wrapper wrapper) {
    this.type = type;
    this.metrics = metrics;
    this.wrapper = wrapper;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    if (beanFactory instanceof ConfigurableListableBeanFactory) {
      this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName)
      throws BeansException {
    if (!type.isInstance(bean) || bean instanceof Metered) {
      return bean;
    }
    // Resolved on first use, not at start-up: a post-processor must not pull other beans early.
    CacheMetrics m = metrics.getIfAvailable();
    if (m == null) {
      return bean;
    }
    try {
      Object wrapped = wrapper.wrap(bean, beanName, m);
      if (wrapped != bean && !fitsDeclaredType(beanName, wrapped)) {
        LOG.log(
            System.Logger.Level.INFO,
            "java-prometheus: bean ''{0}'' is declared as its concrete class; its cache gets are"
                + " not counted. Declare it as the interface ({1}) to count them.",
            beanName,
            type.getName());
        return bean;
      }
      return wrapped;
    } catch (RuntimeException | LinkageError e) {
      m.families().errors().record("cache", e);
      return bean;
    }
  }

  private boolean fitsDeclaredType(String beanName, Object wrapped) {
    if (beanFactory == null || !beanFactory.containsBeanDefinition(beanName)) {
      return true;
    }
    BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
    Class<?> declared = definition.getResolvableType().resolve();
    return declared == null || declared.isInstance(wrapped);
  }
}
