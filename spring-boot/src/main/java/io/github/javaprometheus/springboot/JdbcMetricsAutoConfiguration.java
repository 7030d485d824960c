package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.jdbc.InstrumentedDataSource;
import io.github.javaprometheus.jdbc.JdbcMetrics;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Database metrics for every {@code DataSource} bean: each is measured once, the primary one (or
 * the only one) as alias {@code default}, the others under their bean name, unless {@code
 * prometheus.jdbc-aliases} names them. A {@code HikariDataSource} that has not started is measured
 * below the pool by the jdbc module's {@code HikariMetrics}, so {@code new_connections} counts
 * physical connections, and gets the pool gauges through Hikari's metrics-tracker hook. {@code
 * prometheus.jdbc-metrics=false} turns it off.
 */
@AutoConfiguration(after = JavaPrometheusAutoConfiguration.class)
@ConditionalOnClass({InstrumentedDataSource.class, DataSource.class})
@ConditionalOnBean(MetricFamilies.class)
@Conditional(SettingCondition.JdbcMetricsOn.class)
public class JdbcMetricsAutoConfiguration {

  /** The database families; the {@code jdbc:prometheus:} driver uses them too. */
  @Bean
  @ConditionalOnMissingBean
  public JdbcMetrics javaPrometheusJdbcMetrics(MetricFamilies families) {
    // The driver finds the same object through the installed default families.
    return families.component(JdbcMetrics.class, JdbcMetrics::create);
  }

  /** Static, and resolving its dependencies late: post-processors are created before other beans. */
  @Bean
  public static DataSourceMetricsPostProcessor javaPrometheusDataSourcePostProcessor(
      ObjectProvider<JdbcMetrics> metrics, ObjectProvider<PrometheusSettings> settings) {
    return new DataSourceMetricsPostProcessor(metrics, settings);
  }
}
