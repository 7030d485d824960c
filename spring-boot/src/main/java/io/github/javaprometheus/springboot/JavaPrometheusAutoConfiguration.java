package io.github.javaprometheus.springboot;

import io.github.javaprometheus.servlet.HttpSettings;
import io.github.javaprometheus.core.EndpointAccess;
import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.exporter.MetricsExporter;
import io.github.javaprometheus.servlet.HttpMetrics;
import io.github.javaprometheus.servlet.MetricsServlet;
import io.github.javaprometheus.servlet.PrometheusAfterFilter;
import io.github.javaprometheus.servlet.PrometheusBeforeFilter;
import io.github.javaprometheus.servlet.ViewResolver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of java-prometheus: settings from the {@code Environment} (plus the other
 * sources of the settings model), the metric families on {@link
 * PrometheusRegistry#defaultRegistry}, JVM metrics, both HTTP filters, {@code /metrics} on the
 * application and the dedicated exporter port when one is set.
 *
 * <p>The families live in the default registry, not in a {@code PrometheusRegistry} bean, so
 * Spring Boot Actuator's own Prometheus registry (and its Micrometer JVM metrics) is left alone.
 * Every bean backs off when the application defines its own. {@code prometheus.enabled=false}
 * turns everything off.
 */
@AutoConfiguration
@Conditional(SettingCondition.Enabled.class)
public class JavaPrometheusAutoConfiguration {

  /** Settings: defaults, prometheus.properties, the Environment, system properties, env vars. */
  @Bean
  @ConditionalOnMissingBean
  public PrometheusSettings javaPrometheusSettings(
      Environment environment, ApplicationContext context) {
    return EnvironmentSettings.load(environment, context.getClassLoader());
  }

  /**
   * The metric-family factory, on the application's own {@code PrometheusRegistry} bean when it
   * has exactly one that Micrometer does not own, else on {@link
   * PrometheusRegistry#defaultRegistry}. Define your own bean to choose otherwise.
   */
  @Bean
  @ConditionalOnMissingBean
  public MetricFamilies javaPrometheusMetricFamilies(
      PrometheusSettings settings,
      ObjectProvider<PrometheusRegistry> registries,
      ListableBeanFactory beans) {
    MetricFamilies families = MetricFamilies.create(settings, Registries.choose(registries, beans));
    families.registerJvmMetrics();
    return families;
  }

  /**
   * While this context runs, its families are what the {@code jdbc:prometheus:} driver, the JPA
   * listeners and other container-created objects record into; closing the context gives them back.
   */
  @Bean
  DefaultFamilies javaPrometheusDefaultFamilies(MetricFamilies families) {
    return new DefaultFamilies(families);
  }

  /** The dedicated exporter port, when {@code prometheus.export.port(-range)} is set. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MetricsExporter.class)
  static class ExporterConfiguration {
    @Bean
    @ConditionalOnMissingBean
    JavaPrometheusExporter javaPrometheusExporter(MetricFamilies families) {
      return new JavaPrometheusExporter(
          MetricsExporter.start(families.settings(), families.registry()).orElse(null));
    }
  }

  /** Filters and the metrics servlet in a servlet web application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({PrometheusBeforeFilter.class, jakarta.servlet.Filter.class})
  static class ServletConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HttpMetrics javaPrometheusHttpMetrics(MetricFamilies families) {
      return families.component(HttpMetrics.class, HttpMetrics::create);
    }

    /** Backs off when the application registers a before filter of its own, as a bean or a registration. */
    @Bean
    @ConditionalOnMissingBean(name = "javaPrometheusBeforeFilter")
    @ConditionalOnMissingFilterBean(PrometheusBeforeFilter.class)
    FilterRegistrationBean<PrometheusBeforeFilter> javaPrometheusBeforeFilter(HttpMetrics metrics) {
      return edge(new PrometheusBeforeFilter(metrics), "javaPrometheusBeforeFilter", Ordered.HIGHEST_PRECEDENCE);
    }

    /** Backs off when the application registers an after filter of its own. */
    @Bean
    @ConditionalOnMissingBean(name = "javaPrometheusAfterFilter")
    @ConditionalOnMissingFilterBean(PrometheusAfterFilter.class)
    FilterRegistrationBean<PrometheusAfterFilter> javaPrometheusAfterFilter(
        HttpMetrics metrics, ObjectProvider<ViewResolver> viewResolvers) {
      List<ViewResolver> resolvers = viewResolvers.orderedStream().collect(Collectors.toList());
      return edge(
          new PrometheusAfterFilter(metrics, resolvers),
          "javaPrometheusAfterFilter",
          Ordered.LOWEST_PRECEDENCE);
    }

    /** A filter at one edge of the chain, for the request and async dispatches. */
    private static <F extends jakarta.servlet.Filter> FilterRegistrationBean<F> edge(
        F filter, String name, int order) {
      FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
      registration.setName(name);
      registration.setOrder(order);
      registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
      registration.setAsyncSupported(true);
      return registration;
    }

    /** {@code /metrics} (or {@code prometheus.metrics-path}) on the application's own port. */
    @Bean
    @ConditionalOnMissingBean(name = "javaPrometheusMetricsServlet")
    ServletRegistrationBean<MetricsServlet> javaPrometheusMetricsServlet(MetricFamilies families) {
      String path = families.settings().get(HttpSettings.METRICS_PATH);
      ServletRegistrationBean<MetricsServlet> registration =
          new ServletRegistrationBean<>(
              new MetricsServlet(families.registry(), EndpointAccess.of(families.settings())));
      registration.setName("javaPrometheusMetricsServlet");
      if (path == null) {
        registration.setEnabled(false);
      } else {
        registration.addUrlMappings(path);
      }
      return registration;
    }
  }

  /** View resolution and template names for Spring MVC. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({DispatcherServlet.class, PrometheusBeforeFilter.class})
  static class SpringMvcConfiguration {

    /**
     * Records what an {@code @ExceptionHandler} itself throws; backs off when the application
     * registers its own {@code WebMvcRegistrations} (Boot uses only a unique one).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcRegistrations.class)
    @Conditional(SettingCondition.CountHandledExceptionsOn.class)
    static class FailingExceptionHandlers {
      @Bean
      @ConditionalOnMissingBean(WebMvcRegistrations.class)
      WebMvcRegistrations javaPrometheusMvcRegistrations() {
        return new WebMvcRegistrations() {
          @Override
          public ExceptionHandlerExceptionResolver getExceptionHandlerExceptionResolver() {
            return new FailingHandlerRecorder();
          }
        };
      }
    }

    @Bean
    @ConditionalOnMissingBean(name = "javaPrometheusSpringMvcViewResolver")
    ViewResolver javaPrometheusSpringMvcViewResolver() {
      return new SpringMvcViewResolver();
    }

    /** Records exceptions that resolvers and {@code @ExceptionHandler}s turn into responses. */
    @Bean
    @ConditionalOnMissingBean(name = "javaPrometheusHandledExceptions")
    @Conditional(SettingCondition.CountHandledExceptionsOn.class)
    HandlerExceptionResolver javaPrometheusHandledExceptions() {
      return new HandledExceptionRecorder();
    }

    /** Views and handled exceptions inside functional routes ({@code RouterFunction} beans). */
    @Bean
    @ConditionalOnMissingBean(name = "javaPrometheusRouterFunctions")
    static BeanPostProcessor javaPrometheusRouterFunctions() {
      return new RouterFunctionInstrumentation();
    }

    @Bean
    WebMvcConfigurer javaPrometheusTemplateNames() {
      return new WebMvcConfigurer() {
        @Override
        public void addInterceptors(InterceptorRegistry registry) {
          registry.addInterceptor(new TemplateNameInterceptor());
        }
      };
    }
  }
}
