package io.github.javaprometheus.springboot;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * {@code prometheus.enabled=false}: no bean of the library is defined, and while the context runs
 * the JVM's {@linkplain MetricFamilies#defaults() default families} are switched off too, so what
 * the context cannot reach with beans (the {@code jdbc:prometheus:} driver, the JPA listeners, the
 * no-argument filters of a {@code web.xml}) sees the same switch instead of the settings of the
 * sources outside Spring. The families it installs are detached: registered nowhere.
 */
@AutoConfiguration
@Conditional(SettingCondition.Disabled.class)
public class JavaPrometheusDisabledAutoConfiguration {

  @Bean
  DefaultFamilies javaPrometheusDisabledDefaultFamilies(
      Environment environment, ApplicationContext context) {
    PrometheusSettings settings = EnvironmentSettings.load(environment, context.getClassLoader());
    // A registry of its own, never served: nothing of a disabled context may reach a shared one.
    return new DefaultFamilies(MetricFamilies.create(settings, new PrometheusRegistry()));
  }
}
