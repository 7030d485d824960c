package io.github.javaprometheus.core;

/** Label values with a fixed meaning, shared by every integration, and the rule every value obeys. */
public final class LabelValues {
  /** The method label of anything outside the standard HTTP methods. */
  public static final String INVALID_METHOD = "<invalid method>";
  /** The view label of a request no handler matched. */
  public static final String UNNAMED_VIEW = "<unnamed view>";
  /** The templatename label of a response that rendered no template. */
  public static final String UNKNOWN_TEMPLATE = "<unknown template>";

  /**
   * The longest label value exposed, in UTF-16 chars: a longer value (a 100 kB template name, a
   * generated class name) is cut to its first {@value} chars, never between the two halves of a
   * surrogate pair.
   */
  public static final int MAX_LENGTH = 256;

  /** What an unpaired surrogate, which has no UTF-8 encoding, is replaced by. */
  public static final char REPLACEMENT = '\uFFFD';

  private LabelValues() {}

  /**
   * The value as it is exposed: at most {@link #MAX_LENGTH} chars, every unpaired surrogate
   * replaced by {@link #REPLACEMENT} so that the exposition is valid UTF-8. Quotes, backslashes and
   * newlines are kept: the exposition formats escape them. Returns {@code value} itself when it
   * needs no change. Every labelled family applies this when it admits a label set ({@link
   * BoundedFamily}); values that are equal once cleaned share one series.
   */
  public static String clean(String value) {
    int n = value.length();
    if (n > MAX_LENGTH) {
      return rebuild(value);
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return rebuild(value);
      }
    }
    return value;
  }

  private static String rebuild(String value) {
    int n = value.length();
    StringBuilder b = new StringBuilder(Math.min(n, MAX_LENGTH));
    for (int i = 0; i < n && b.length() < MAX_LENGTH; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
        if (b.length() + 2 > MAX_LENGTH) {
          break; // the pair does not fit: cut before it rather than between its halves
        }
        b.append(c).append(value.charAt(++i));
      } else {
        b.append(Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    return b.toString();
  }
}
