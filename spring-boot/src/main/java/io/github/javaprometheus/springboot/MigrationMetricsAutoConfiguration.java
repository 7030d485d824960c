package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.migrations.FlywayMigrations;
import io.github.javaprometheus.migrations.LiquibaseMigrations;
import io.github.javaprometheus.migrations.MigrationMetrics;
import liquibase.integration.spring.SpringLiquibase;
import liquibase.integration.spring.SpringResourceAccessor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Migration gauges with no code: {@code <p>_migrations_applied} and {@code <p>_migrations_unapplied}
 * by {@code connection} (the data source alias, {@code default} for the primary), from Flyway and
 * from Liquibase, whichever is present.
 *
 * <p>Flyway: read right after Spring Boot's start-up migrate (through a {@code
 * FlywayMigrationStrategy}, unless the application has its own), and refreshed in the background
 * after every later {@code migrate}, {@code clean}, {@code repair} or {@code baseline} (a Flyway
 * {@code Callback} bean, which Spring Boot adds to its Flyway). Liquibase: read after each {@code
 * SpringLiquibase} bean ran its update. {@code prometheus.export-migrations=false} turns it off.
 */
@AutoConfiguration(after = JavaPrometheusAutoConfiguration.class)
@ConditionalOnClass(MigrationMetrics.class)
@ConditionalOnBean(MetricFamilies.class)
@Conditional(SettingCondition.ExportMigrationsOn.class)
public class MigrationMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public MigrationMetrics javaPrometheusMigrationMetrics(MetricFamilies families) {
    return MigrationMetrics.create(families);
  }

  /** Names connections as the database families name their {@code alias}. */
  @Bean
  DataSourceAliases javaPrometheusMigrationConnections(
      ConfigurableListableBeanFactory beanFactory, MetricFamilies families) {
    return new DataSourceAliases(beanFactory, families.settings());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Flyway.class, FlywayMigrationStrategy.class})
  static class FlywayConfiguration {
    /** Spring Boot adds every {@code Callback} bean to the Flyway it creates. */
    @Bean
    Callback javaPrometheusFlywayCallback(MigrationMetrics metrics, DataSourceAliases connections) {
      return FlywayMigrations.callback(metrics, connections::of);
    }

    /** The start-up migrate, as Spring Boot runs it, with the counts read right after. */
    @Bean
    @ConditionalOnMissingBean
    FlywayMigrationStrategy javaPrometheusFlywayMigrationStrategy(
        MigrationMetrics metrics, DataSourceAliases connections) {
      return flyway ->
          FlywayMigrations.migrate(
              flyway, metrics, connections.of(flyway.getConfiguration().getDataSource()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(SpringLiquibase.class)
  static class LiquibaseConfiguration {
    /** Static, and resolving its dependencies late: post-processors are created before other beans. */
    @Bean
    static BeanPostProcessor javaPrometheusLiquibaseMigrations(
        ObjectProvider<MigrationMetrics> metrics, ObjectProvider<DataSourceAliases> connections) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
          if (bean instanceof SpringLiquibase) {
            record((SpringLiquibase) bean, metrics.getIfAvailable(), connections.getIfAvailable());
          }
          return bean;
        }
      };
    }

    /** After {@code afterPropertiesSet}, i.e. after the update it ran. */
    private static void record(
        SpringLiquibase liquibase, MigrationMetrics metrics, DataSourceAliases connections) {
      if (metrics == null || connections == null) {
        return;
      }
      try {
        LiquibaseMigrations.of(
                liquibase.getDataSource(),
                liquibase.getChangeLog(),
                new SpringResourceAccessor(liquibase.getResourceLoader()))
            .contexts(liquibase.getContexts())
            .labels(liquibase.getLabelFilter())
            .defaultSchema(liquibase.getDefaultSchema())
            .liquibaseSchema(liquibase.getLiquibaseSchema())
            .changeLogTable(liquibase.getDatabaseChangeLogTable())
            .changeLogLockTable(liquibase.getDatabaseChangeLogLockTable())
            .record(metrics, connections.of(liquibase.getDataSource()));
      } catch (RuntimeException | LinkageError e) {
        metrics.families().errors().record("migrations", e);
      }
    }
  }
}
