package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.exporter.MetricsPusher;
import io.github.javaprometheus.exporter.PushgatewaySettings;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Batch jobs (a {@code CommandLineRunner}, a Spring Batch job): with {@code
 * prometheus.pushgateway.address} set, the registry of the metric families is pushed to that
 * Pushgateway when the context closes — {@code SpringApplication.exit}, or the JVM shutdown hook
 * Spring Boot registers — and every {@code prometheus.pushgateway.interval} while it runs. The job
 * label is {@code prometheus.pushgateway.job}, else {@code spring.application.name}.
 *
 * <p>A Pushgateway that is down or silent costs one WARNING line and at most {@code
 * prometheus.pushgateway.timeout} at close; the context closes and the application's exit code
 * stays its own. Define a {@link MetricsPusher} bean to push otherwise.
 */
@AutoConfiguration(
    after = {JavaPrometheusAutoConfiguration.class, MultiprocessAutoConfiguration.class})
@ConditionalOnClass({MetricsPusher.class, PushGateway.class})
@Conditional(PushgatewayAutoConfiguration.AddressSet.class)
public class PushgatewayAutoConfiguration {

  /** The pusher; closed (the last push) with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean(MetricFamilies.class)
  public MetricsPusher javaPrometheusMetricsPusher(
      MetricFamilies families, Environment environment) {
    return MetricsPusher.start(
        families.settings(),
        families.registry(),
        environment.getProperty("spring.application.name"));
  }

  /**
   * Closes the pusher (the last push) as soon as its context starts closing, before Spring Boot's
   * {@code LoggingApplicationListener} takes the logging system down on the same event — closed
   * later, with the beans, a failed last push could not be logged — and before other beans are
   * destroyed. The pusher's destroy method stays, for contexts that publish no such event.
   */
  @Bean
  static ApplicationListener<ContextClosedEvent> javaPrometheusPushAtContextClose(
      ObjectProvider<MetricsPusher> pusher, ApplicationContext context) {
    return new PushAtContextClose(pusher, context);
  }

  static final class PushAtContextClose implements ApplicationListener<ContextClosedEvent>, Ordered {
    private final ObjectProvider<MetricsPusher> pusher;
    private final ApplicationContext context;

    PushAtContextClose(ObjectProvider<MetricsPusher> pusher, ApplicationContext context) {
      this.pusher = pusher;
      this.context = context;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
      if (event.getApplicationContext() == context) {
        pusher.ifAvailable(MetricsPusher::close);
      }
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /** {@code prometheus.enabled} and {@code prometheus.pushgateway.address} set, in any source. */
  static final class AddressSet extends SettingCondition {
    AddressSet() {
      super(PushgatewaySettings::configured);
    }
  }
}
