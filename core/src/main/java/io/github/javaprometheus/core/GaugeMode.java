package io.github.javaprometheus.core;

import java.util.Locale;

/**
 * How the values of a gauge written by many processes are merged (Python prometheus_client's
 * {@code multiprocess_mode}). Only file-backed stores (multiprocess mode) use it; a gauge held in
 * a registry has one value and ignores the mode.
 *
 * <p>The {@code LIVE*} modes count only processes that are alive: their files are removed when a
 * process is marked dead.
 */
public enum GaugeMode {
  /** One series per process, labelled {@code pid}. Python's default. */
  ALL,
  /** As {@link #ALL}, live processes only. */
  LIVEALL,
  /** The smallest value of any process. */
  MIN,
  /** As {@link #MIN}, live processes only. */
  LIVEMIN,
  /** The largest value of any process. */
  MAX,
  /** As {@link #MAX}, live processes only. */
  LIVEMAX,
  /** The sum over all processes. */
  SUM,
  /** The sum over live processes (in-flight requests, open connections). */
  LIVESUM,
  /** The value set last by any process (needs the value-and-timestamp file format). */
  MOSTRECENT,
  /** As {@link #MOSTRECENT}, live processes only. */
  LIVEMOSTRECENT;

  /** The name Python uses in files and in {@code multiprocess_mode}, e.g. {@code livesum}. */
  public String pythonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the files of this mode are removed when their process is marked dead. */
  public boolean live() {
    return name().startsWith("LIVE");
  }

  /** The mode with this Python name, or null when there is none. */
  public static GaugeMode fromPythonName(String name) {
    for (GaugeMode m : values()) {
      if (m.pythonName().equals(name)) {
        return m;
      }
    }
    return null;
  }
}
