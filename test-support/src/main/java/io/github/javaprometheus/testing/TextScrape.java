package io.github.javaprometheus.testing;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test support: the Prometheus text exposition of a registry, and sample lookups in it. */
public final class TextScrape {
  private final String text;

  private TextScrape(String text) {
    this.text = text;
  }

  /** Scrapes a registry in the Prometheus text format (version 0.0.4). */
  public static TextScrape of(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TextScrape(out.toString(StandardCharsets.UTF_8));
  }

  /** Wraps text obtained elsewhere (an HTTP scrape). */
  public static TextScrape parse(String text) {
    return new TextScrape(text);
  }

  public String text() {
    return text;
  }

  /** Sample lines (no comments). */
  public List<String> samples() {
    List<String> result = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        result.add(line);
      }
    }
    return result;
  }

  /**
   * The value of the sample with exactly this name and label set (in any label order), e.g. {@code
   * java_http_requests_total_by_method_total{method="GET"}}; null when absent.
   */
  public Double value(String series) {
    String wanted = canonical(series);
    for (String line : samples()) {
      int space = line.lastIndexOf(' ');
      if (space > 0 && canonical(line.substring(0, space)).equals(wanted)) {
        return Double.parseDouble(line.substring(space + 1));
      }
    }
    return null;
  }

  /** Name plus labels sorted by name, so label order does not matter. */
  static String canonical(String series) {
    int brace = series.indexOf('{');
    if (brace < 0 || !series.endsWith("}")) {
      return series;
    }
    List<String> pairs = new ArrayList<>();
    String body = series.substring(brace + 1, series.length() - 1);
    int start = 0;
    boolean quoted = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        pairs.add(body.substring(start, i));
        start = i + 1;
      }
    }
    if (start < body.length()) {
      pairs.add(body.substring(start));
    }
    java.util.Collections.sort(pairs);
    return series.substring(0, brace) + "{" + String.join(",", pairs) + "}";
  }

  /** As {@link #value(String)}, 0 when absent. */
  public double valueOrZero(String series) {
    Double v = value(series);
    return v == null ? 0 : v;
  }

  /** Sample lines whose name starts with the given prefix. */
  public List<String> samplesStartingWith(String prefix) {
    List<String> result = new ArrayList<>();
    for (String line : samples()) {
      if (line.startsWith(prefix)) {
        result.add(line);
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return text;
  }
}
