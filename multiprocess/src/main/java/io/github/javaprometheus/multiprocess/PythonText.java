package io.github.javaprometheus.multiprocess;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * The text Python prometheus_client puts in its multiprocess files, reproduced byte for byte: the
 * entry key {@code json.dumps([metric_name, name, labels, help_text], sort_keys=True)} and the
 * {@code le} label {@code floatToGoString(bound)}, which builds on Python's {@code repr(float)}.
 */
final class PythonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private PythonText() {}

  /**
   * The key of one value: {@code ["<metric>", "<sample>", {"<label>": "<value>", ...}, "<help>"]}
   * with Python's default separators, labels sorted by name and every character outside printable
   * ASCII escaped ({@code ensure_ascii=True}).
   */
  static String key(
      String metricName, String sampleName, String[] labelNames, String[] labelValues, String help) {
    Integer[] order = new Integer[labelNames.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> compareCodePoints(labelNames[a], labelNames[b]));
    StringBuilder sb = new StringBuilder(64 + metricName.length() * 2 + help.length());
    sb.append('[');
    string(sb, metricName);
    sb.append(", ");
    string(sb, sampleName);
    sb.append(", {");
    for (int i = 0; i < order.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      string(sb, labelNames[order[i]]);
      sb.append(": ");
      string(sb, labelValues[order[i]]);
    }
    sb.append("}, ");
    string(sb, help);
    sb.append(']');
    return sb.toString();
  }

  /** A JSON string as Python's {@code json.dumps} writes it with {@code ensure_ascii=True}. */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          if (c >= ' ' && c <= '~') {
            sb.append(c);
          } else {
            // Astral characters are already two UTF-16 units: Python escapes the same surrogates.
            sb.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          }
      }
    }
    sb.append('"');
  }

  /** Python's {@code str} ordering: by code point, not by UTF-16 unit. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * prometheus_client's {@code floatToGoString}: {@code +Inf}, and for large bounds Go's exponent
   * form ({@code 5.36870912e+08}). {@code pre017} keeps 0.16's exponent of 10 and more ({@code
   * e+010}); later versions write {@code e+10}. Readers compare bounds as numbers.
   */
  static String floatToGoString(double d, boolean pre017) {
    if (d == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (d == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    if (Double.isNaN(d)) {
      return "NaN";
    }
    String s = repr(d);
    int dot = s.indexOf('.');
    if (d > 0 && dot > 6) {
      StringBuilder mantissa =
          new StringBuilder().append(s.charAt(0)).append('.').append(s, 1, dot).append(s, dot + 1, s.length());
      int end = mantissa.length();
      while (end > 0 && (mantissa.charAt(end - 1) == '0' || mantissa.charAt(end - 1) == '.')) {
        end--;
      }
      mantissa.setLength(end);
      int exp = dot - 1;
      return mantissa + (pre017 ? "e+0" + exp : String.format("e+%02d", exp));
    }
    return s;
  }

  /** Python's {@code repr(float)}: the shortest string that reads back as the same double. */
  static String repr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return (1 / d) < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(Math.abs(d));
    BigDecimal shortest = null;
    for (int p = 1; p <= 17 && shortest == null; p++) {
      BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (nearest.doubleValue() == Math.abs(d)) {
        shortest = nearest;
        break;
      }
      // At a power of two the interval of values reading back is wider on one side.
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal other = exact.round(new MathContext(p, mode));
        if (other.doubleValue() == Math.abs(d)) {
          shortest = other;
          break;
        }
      }
    }
    if (shortest == null) {
      shortest = exact.round(MathContext.DECIMAL64);
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int decpt = digits.length() - shortest.scale(); // value = 0.<digits> * 10^decpt
    StringBuilder sb = new StringBuilder(24);
    if (d < 0) {
      sb.append('-');
    }
    if (decpt <= -4 || decpt > 16) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      int exp = decpt - 1;
      sb.append('e').append(exp < 0 ? '-' : '+');
      int abs = Math.abs(exp);
      if (abs < 10) {
        sb.append('0');
      }
      sb.append(abs);
    } else if (decpt <= 0) {
      sb.append("0.");
      for (int i = decpt; i < 0; i++) {
        sb.append('0');
      }
      sb.append(digits);
    } else if (decpt >= digits.length()) {
      sb.append(digits);
      for (int i = digits.length(); i < decpt; i++) {
        sb.append('0');
      }
      sb.append(".0");
    } else {
      sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
    }
    return sb.toString();
  }

  /**
   * Python's {@code float(str)} for the {@code le} values in files: decimal and exponent forms,
   * {@code inf}/{@code infinity}/{@code nan} in any case with an optional sign.
   *
   * @throws NumberFormatException when Python would raise ValueError
   */
  static double parseFloat(String s) {
    String t = s.trim();
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    boolean negative = lower.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    for (int i = 0; i < unsigned.length(); i++) {
      char c = unsigned.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != '+' && c != '-' && c != '_') {
        throw new NumberFormatException(s);
      }
    }
    return Double.parseDouble(t.replace("_", ""));
  }
}
