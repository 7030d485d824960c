package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.InvalidSettingException;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.exporter.MetricsPusher;
import io.github.javaprometheus.testing.FreePorts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Pushgateway wiring, case by case; the pushes themselves are in PushgatewayAutoConfigurationIT. */
class PushgatewayAutoConfigurationTest {
  // Nothing listens there: the push when each context closes fails at once (one WARNING line).
  private final String address = "127.0.0.1:" + FreePorts.next();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JavaPrometheusDisabledAutoConfiguration.class,
                  JavaPrometheusAutoConfiguration.class,
                  PushgatewayAutoConfiguration.class));

  @Test
  void isAnAutoConfiguration() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
        .contains(PushgatewayAutoConfiguration.class.getName());
  }

  @Test
  void noAddressNoPusher() {
    runner.run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(MetricsPusher.class));
  }

  @Test
  void theJobIsTheApplicationNameUnlessSet() {
    runner
        .withPropertyValues(
            "prometheus.pushgateway.address=" + address, "spring.application.name=billing-batch")
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(MetricsPusher.class);
              MetricsPusher pusher = ctx.getBean(MetricsPusher.class);
              assertThat(pusher.isActive()).isTrue();
              assertThat(pusher.job()).isEqualTo("billing-batch");
            });
    runner
        .withPropertyValues(
            "prometheus.pushgateway.address=" + address,
            "spring.application.name=billing-batch",
            "prometheus.pushgateway.job=nightly",
            "prometheus.pushgateway.grouping-key=instance=a")
        .run(
            ctx -> {
              MetricsPusher pusher = ctx.getBean(MetricsPusher.class);
              assertThat(pusher.job()).isEqualTo("nightly");
              assertThat(pusher.groupingKey()).containsExactly(java.util.Map.entry("instance", "a"));
            });
  }

  @Test
  void closingTheContextClosesThePusher() {
    MetricsPusher[] seen = new MetricsPusher[1];
    runner
        .withPropertyValues("prometheus.pushgateway.address=" + address, "spring.application.name=j")
        .run(ctx -> seen[0] = ctx.getBean(MetricsPusher.class));
    assertThat(seen[0].isActive()).isFalse();
  }

  @Test
  void offWhenTheLibraryIsDisabled() {
    runner
        .withPropertyValues(
            "prometheus.enabled=false",
            "prometheus.pushgateway.address=" + address,
            "spring.application.name=j")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(MetricsPusher.class));
  }

  @Test
  void withoutAJobStartUpFailsNamingTheKey() {
    runner
        .withPropertyValues("prometheus.pushgateway.address=" + address)
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("Invalid setting prometheus.pushgateway.job=<unset>"));
  }

  @Test
  void aMalformedSettingFailsStartUpNamingTheKey() {
    runner
        .withPropertyValues(
            "prometheus.pushgateway.address=" + address,
            "spring.application.name=j",
            "prometheus.pushgateway.grouping-key=instance")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith(
                        "Invalid setting prometheus.pushgateway.grouping-key='instance'"));
  }

  @Test
  void backsOffForTheApplicationsOwnPusher() {
    runner
        .withUserConfiguration(OwnPusher.class)
        .withPropertyValues("prometheus.pushgateway.address=" + address, "spring.application.name=j")
        .run(
            ctx ->
                assertThat(ctx)
                    .hasSingleBean(MetricsPusher.class)
                    .getBean(MetricsPusher.class)
                    .isSameAs(OwnPusher.PUSHER));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnPusher {
    static final MetricsPusher PUSHER =
        MetricsPusher.start(PrometheusSettings.defaults(), new PrometheusRegistry());

    @Bean
    MetricsPusher ownPusher() {
      return PUSHER;
    }
  }
}
