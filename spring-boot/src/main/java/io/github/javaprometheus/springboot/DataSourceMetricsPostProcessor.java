package io.github.javaprometheus.springboot;

import io.github.javaprometheus.jdbc.JdbcSettings;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.jdbc.InstrumentedDataSource;
import io.github.javaprometheus.jdbc.JdbcMetrics;
import javax.sql.DataSource;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Measures every {@code DataSource} bean once. A HikariCP pool that has not started keeps being
 * the bean: its physical data source is wrapped and its metrics tracker set. Any other data source
 * (or a pool already running) is replaced by an {@link InstrumentedDataSource} around it, which
 * answers {@code unwrap}/{@code isWrapperFor} as the original, so Spring Boot still finds the pool.
 */
final class DataSourceMetricsPostProcessor implements BeanPostProcessor, BeanFactoryAware, Ordered {
  private static final boolean HIKARI_PRESENT =
      ClassUtils.isPresent(
          "com.zaxxer.hikari.HikariDataSource", DataSourceMetricsPostProcessor.class.getClassLoader());

  private final ObjectProvider<JdbcMetrics> metrics;
  private final ObjectProvider<PrometheusSettings> settings;
  private ConfigurableListableBeanFactory beanFactory;

  DataSourceMetricsPostProcessor(
      ObjectProvider<JdbcMetrics> metrics, ObjectProvider<PrometheusSettings> settings) {
    this.metrics = metrics;
    this.settings = settings;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    if (beanFactory instanceof ConfigurableListableBeanFactory) {
      this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }
  }

  /** Late, after other post-processors (connection details, configuration properties) are done. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    if (!(bean instanceof DataSource) || ScopedProxyUtils.isScopedTarget(beanName)) {
      return bean;
    }
    PrometheusSettings s = settings.getIfAvailable();
    JdbcMetrics jdbc = metrics.getIfAvailable();
    if (s == null || jdbc == null || !s.enabled() || !s.get(JdbcSettings.JDBC_METRICS)) {
      return bean;
    }
    DataSource dataSource = (DataSource) bean;
    try {
      if (isMeasured(dataSource)) {
        return bean;
      }
      String alias = alias(s, beanName);
      if (HIKARI_PRESENT && HikariInstrumentation.instrumentBelowThePool(dataSource, jdbc, alias, beanFactory)) {
        return bean;
      }
      return InstrumentedDataSource.builder(dataSource, jdbc).alias(alias).build();
    } catch (RuntimeException | LinkageError e) {
      // The application keeps its data source exactly as it was.
      jdbc.families().errors().record("jdbc", e);
      return bean;
    }
  }

  private static boolean isMeasured(DataSource dataSource) {
    if (dataSource instanceof InstrumentedDataSource) {
      return true;
    }
    try {
      if (dataSource.isWrapperFor(InstrumentedDataSource.class)) {
        return true;
      }
    } catch (Exception e) {
      // A data source that cannot answer is not one of ours.
    }
    return HIKARI_PRESENT && HikariInstrumentation.isMeasured(dataSource);
  }

  /** {@code prometheus.jdbc-aliases}, else {@code default} for the primary or only one, else the bean name. */
  String alias(PrometheusSettings s, String beanName) {
    return new DataSourceAliases(beanFactory, s).ofBean(beanName);
  }
}
