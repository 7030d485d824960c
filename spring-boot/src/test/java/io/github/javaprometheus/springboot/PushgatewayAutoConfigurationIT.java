package io.github.javaprometheus.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.testing.FreePorts;
import io.github.javaprometheus.testing.Probe;
import io.github.javaprometheus.testing.ServerProcess;
import io.github.javaprometheus.testing.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Batch jobs in Spring Boot pushing to a real Pushgateway when their context closes: through the
 * auto-configuration, and a {@code CommandLineRunner} application run and exited as a job is.
 */
class PushgatewayAutoConfigurationIT {
  private ServerProcess gateway;
  private int port;

  @BeforeEach
  void startPushgateway() {
    port = FreePorts.next();
    gateway =
        ServerProcess.command(
                Tools.require("prometheus-pushgateway").toString(),
                "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=")
            .readyWhen(Probe.http("http://127.0.0.1:" + port + "/-/ready"))
            .start();
  }

  @AfterEach
  void stopPushgateway() {
    gateway.close();
  }

  private List<String> pushed(String name) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body().lines().filter(l -> l.startsWith(name + "{")).collect(Collectors.toList());
  }

  @Test
  void pushesTheFamiliesWhenTheContextCloses() throws Exception {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JavaPrometheusAutoConfiguration.class, PushgatewayAutoConfiguration.class))
        .withPropertyValues(
            "prometheus.pushgateway.address=127.0.0.1:" + port,
            "prometheus.pushgateway.grouping-key=instance=batch-1",
            "spring.application.name=billing-batch")
        .run(
            ctx -> {
              ctx.getBean(MetricFamilies.class)
                  .counter("spring_pushed_invoices", "Invoices.")
                  .noLabels()
                  .inc(12);
              assertThat(pushed("java_spring_pushed_invoices_total")).isEmpty();
            });
    assertThat(pushed("java_spring_pushed_invoices_total"))
        .containsExactly(
            "java_spring_pushed_invoices_total{instance=\"batch-1\",job=\"billing-batch\"} 12");
  }

  @Test
  void aCommandLineRunnerJobPushesAtExitAndKeepsItsExitCode() throws Exception {
    int exitCode = runJob("127.0.0.1:" + port, "spring_job_records");
    assertThat(exitCode).isEqualTo(3);
    assertThat(pushed("java_spring_job_records_total"))
        .containsExactly("java_spring_job_records_total{instance=\"\",job=\"import-job\"} 5");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aPushgatewayThatIsDownIsOneLogLineAndLeavesTheExitCodeAlone(CapturedOutput output) {
    long start = System.nanoTime();
    int down = FreePorts.next();
    int exitCode = runJob("127.0.0.1:" + down, "spring_job_records_down");
    assertThat(exitCode).isEqualTo(3);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    // Logged through the application's logging system, before Spring Boot shuts it down.
    assertThat(output.getOut().lines().filter(l -> l.contains("Could not push")))
        .singleElement()
        .asString()
        .contains(" WARN ")
        .contains(
            "Could not push metrics to the Pushgateway http://127.0.0.1:"
                + down
                + " (job=import-job) (last push): ConnectException");
  }

  /** Runs {@link ImportJob} as {@code System.exit(SpringApplication.exit(run(...)))} would. */
  private static int runJob(String address, String counter) {
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(ImportJob.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.application.name=import-job",
                "prometheus.pushgateway.address=" + address,
                "prometheus.pushgateway.timeout=2",
                "test.counter=" + counter)
            .run();
    return SpringApplication.exit(ctx);
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    JavaPrometheusAutoConfiguration.class,
    PushgatewayAutoConfiguration.class
  })
  static class ImportJob {
    @Bean
    CommandLineRunner importRecords(MetricFamilies families, Environment environment) {
      return args ->
          families.counter(environment.getProperty("test.counter"), "Records.").noLabels().inc(5);
    }

    @Bean
    ExitCodeGenerator exitCode() {
      return () -> 3;
    }
  }
}
