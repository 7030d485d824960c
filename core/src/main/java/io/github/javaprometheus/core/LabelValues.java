package io.github.javaprometheus.core;

/** Label values with a fixed meaning, shared by every integration. */
public final class LabelValues {
  /** The method label of anything outside the standard HTTP methods. */
  public static final String INVALID_METHOD = "<invalid method>";
  /** The view label of a request no handler matched. */
  public static final String UNNAMED_VIEW = "<unnamed view>";
  /** The templatename label of a response that rendered no template. */
  public static final String UNKNOWN_TEMPLATE = "<unknown template>";

  private LabelValues() {}
}
