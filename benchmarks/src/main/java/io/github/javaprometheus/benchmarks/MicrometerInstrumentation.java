package io.github.javaprometheus.benchmarks;

import io.github.javaprometheus.testing.TextScrape;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.Filter;
import java.util.List;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * What Spring Boot Actuator installs for a Spring MVC application with the Prometheus registry:
 * Spring's {@link ServerHttpObservationFilter} observing into an {@link ObservationRegistry} whose
 * {@link DefaultMeterObservationHandler} records {@code http.server.requests} (a timer, plus the
 * {@code http.server.requests.active} long task timer) in a {@link PrometheusMeterRegistry}.
 */
final class MicrometerInstrumentation implements HttpInstrumentation {
  private static final String COUNT = "http_server_requests_seconds_count{";

  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ServerHttpObservationFilter filter;

  MicrometerInstrumentation() {
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    filter = new ServerHttpObservationFilter(observations);
  }

  @Override
  public List<Filter> filters() {
    return List.of(filter);
  }

  /** The sum of {@code http_server_requests_seconds_count} over all its series. */
  @Override
  public long recordedRequests() {
    long total = 0;
    for (String line : TextScrape.parse(meters.scrape()).samplesStartingWith(COUNT)) {
      total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return total;
  }

  /** The Prometheus exposition of the Micrometer registry. */
  String scrape() {
    return meters.scrape();
  }
}
