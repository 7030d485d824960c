package io.github.javaprometheus.core;

/**
 * Normalises HTTP methods to a bounded set: the nine standard methods keep their name, anything
 * else becomes {@link LabelValues#INVALID_METHOD}. Methods are indexed so hot paths can keep
 * per-method children in arrays.
 */
public final class HttpMethods {
  /** Number of distinct indexes, {@link #INVALID} included. */
  public static final int COUNT = 10;
  /** Index of every non-standard method. */
  public static final int INVALID = 9;

  private static final String[] LABELS = {
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
    LabelValues.INVALID_METHOD
  };

  private HttpMethods() {}

  /** The index of a method; case-sensitive, as HTTP methods are. */
  public static int index(String method) {
    if (method == null) {
      return INVALID;
    }
    switch (method) {
      case "GET":
        return 0;
      case "POST":
        return 1;
      case "PUT":
        return 2;
      case "PATCH":
        return 3;
      case "DELETE":
        return 4;
      case "HEAD":
        return 5;
      case "OPTIONS":
        return 6;
      case "TRACE":
        return 7;
      case "CONNECT":
        return 8;
      default:
        return INVALID;
    }
  }

  /** The label value of an index. */
  public static String label(int index) {
    return LABELS[index];
  }

  /** The label value of a method. */
  public static String normalize(String method) {
    return LABELS[index(method)];
  }
}
