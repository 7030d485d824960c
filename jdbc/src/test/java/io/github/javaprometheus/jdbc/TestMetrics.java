package io.github.javaprometheus.jdbc;

import io.github.javaprometheus.core.MetricFamilies;
import io.github.javaprometheus.core.PrometheusSettings;
import io.github.javaprometheus.testing.TextScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Fresh database families on a registry of their own, and exact sample look-ups. */
final class TestMetrics {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final JdbcMetrics jdbc;

  TestMetrics() {
    this(PrometheusSettings.defaults());
  }

  TestMetrics(PrometheusSettings settings) {
    jdbc = JdbcMetrics.create(MetricFamilies.create(settings, registry));
  }

  TextScrape scrape() {
    return TextScrape.of(registry);
  }

  /** The value of {@code java_db_<family>{alias,vendor}}, 0 when the series does not exist. */
  double db(String family, String alias, String vendor) {
    return scrape()
        .valueOrZero("java_db_" + family + "{alias=\"" + alias + "\",vendor=\"" + vendor + "\"}");
  }

  /** {@code java_db_errors_total{alias,vendor,type}}, 0 when absent. */
  double errors(String alias, String vendor, String type) {
    return scrape()
        .valueOrZero(
            "java_db_errors_total{alias=\""
                + alias
                + "\",vendor=\""
                + vendor
                + "\",type=\""
                + type
                + "\"}");
  }

  double instrumentationErrors() {
    return scrape().valueOrZero("java_instrumentation_errors_total{component=\"jdbc\"}");
  }
}
