package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.PrometheusSettings;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The name of a database in the metrics, as Django's {@code DATABASES} key: {@code
 * prometheus.jdbc-aliases}, else {@code default} for the primary (or only) {@code DataSource}
 * bean, else the bean name. Used for {@code alias} (database families) and {@code connection}
 * (migration gauges), so both name a database alike.
 */
final class DataSourceAliases {
  /** The alias of the application's main database, as Django names it. */
  static final String DEFAULT_ALIAS = "default";

  private final ConfigurableListableBeanFactory beanFactory;
  private final PrometheusSettings settings;

  DataSourceAliases(ConfigurableListableBeanFactory beanFactory, PrometheusSettings settings) {
    this.beanFactory = beanFactory;
    this.settings = settings;
  }

  /** The alias of the {@code DataSource} bean {@code beanName}. */
  String ofBean(String beanName) {
    String configured = settings.get(SpringSettings.JDBC_ALIASES).get(beanName);
    if (configured != null) {
      return configured;
    }
    if (beanFactory == null) {
      return DEFAULT_ALIAS;
    }
    if (beanFactory.containsBeanDefinition(beanName)
        && beanFactory.getBeanDefinition(beanName).isPrimary()) {
      return DEFAULT_ALIAS;
    }
    String[] all = beanFactory.getBeanNamesForType(DataSource.class, true, false);
    return all.length <= 1 ? DEFAULT_ALIAS : beanName;
  }

  /**
   * The alias of a data source instance (what Flyway or Liquibase was given): the bean it is, else
   * {@code default} (a data source of the tool's own, e.g. {@code spring.flyway.url}, migrates the
   * application's database).
   */
  String of(DataSource dataSource) {
    if (beanFactory != null && dataSource != null) {
      Map<String, DataSource> beans = beanFactory.getBeansOfType(DataSource.class, true, false);
      for (Map.Entry<String, DataSource> e : beans.entrySet()) {
        if (e.getValue() == dataSource) {
          return ofBean(e.getKey());
        }
      }
    }
    return DEFAULT_ALIAS;
  }
}
