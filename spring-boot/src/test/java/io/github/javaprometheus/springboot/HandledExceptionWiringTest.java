package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** What records handled exceptions, and when it stays away. */
class HandledExceptionWiringTest {
  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(JavaPrometheusAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistrations {
    @Bean
    WebMvcRegistrations myRegistrations() {
      return new WebMvcRegistrations() {};
    }
  }

  @Test
  void byDefaultTheResolverAndTheRegistrationsAreThere() {
    web.run(
        c -> {
          assertThat(c.getBean("javaPrometheusHandledExceptions", HandlerExceptionResolver.class))
              .isInstanceOf(HandledExceptionRecorder.class);
          assertThat(
                  c.getBean(WebMvcRegistrations.class).getExceptionHandlerExceptionResolver())
              .isInstanceOf(FailingHandlerRecorder.class);
          assertThat(c).hasBean("javaPrometheusRouterFunctions");
        });
  }

  @Test
  void anApplicationsOwnRegistrationsAreKeptAlone() {
    web.withUserConfiguration(OwnRegistrations.class)
        .run(
            c -> {
              assertThat(c).getBeans(WebMvcRegistrations.class).containsOnlyKeys("myRegistrations");
              assertThat(c).hasBean("javaPrometheusHandledExceptions");
            });
  }

  @Test
  void countHandledExceptionsFalseRecordsNothing() {
    web.withPropertyValues("prometheus.count-handled-exceptions=false")
        .run(
            c -> {
              assertThat(c).doesNotHaveBean("javaPrometheusHandledExceptions");
              assertThat(c).doesNotHaveBean(WebMvcRegistrations.class);
            });
  }
}
