package io.github.javaprometheus.multiprocess;

import io.prometheus.metrics.model.snapshots.Labels;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One decoded entry key, {@code [metric_name, sample_name, {labels}, help_text]} (keys of
 * prometheus_client before 0.7 have no help text), with what the merge needs precomputed: the
 * labels sorted by name, client_java {@link Labels} with and without {@code le}, and the bucket
 * bound. Keys are cached between scrapes, so each is decoded once.
 */
final class ParsedKey {
  final String metricName;
  final String sampleName;
  final String help;
  final Labels labels;
  /** For a {@code _bucket} sample: its labels without {@code le}; otherwise {@link #labels}. */
  final Labels labelsWithoutLe;
  /** The bucket bound of a {@code _bucket} sample with an {@code le} label, else NaN. */
  final double le;
  /** The key's bytes in the file. */
  final byte[] raw;

  // Accumulated over one scrape; `generation` says which. Used by the single merging thread only.
  int generation = -1;
  double sum;
  /** The metric this key belongs to in scrape {@link #metricGeneration}. */
  Object metric;
  int metricGeneration = -1;

  private ParsedKey(
      byte[] raw, String metricName, String sampleName, String help, Labels labels, Labels without, double le) {
    this.raw = raw;
    this.metricName = metricName;
    this.sampleName = sampleName;
    this.help = help;
    this.labels = labels;
    this.labelsWithoutLe = without;
    this.le = le;
  }

  /** Thrown for a key that is not what prometheus_client writes. */
  static final class BadKey extends Exception {
    private static final long serialVersionUID = 1L;

    BadKey(String message) {
      super(message, null, false, false);
    }
  }

  static ParsedKey parse(ByteBuffer data, int offset, int length) throws BadKey {
    byte[] bytes = new byte[length];
    data.get(offset, bytes);
    return parse(bytes, 0, length);
  }

  static ParsedKey parse(byte[] bytes, int offset, int length) throws BadKey {
    String text;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, offset, length));
      text = chars.toString();
    } catch (CharacterCodingException e) {
      throw new BadKey("key is not UTF-8");
    }
    return new Parser(text).key(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** A strict reader of the JSON prometheus_client writes for a key. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    ParsedKey key(byte[] raw) throws BadKey {
      expect('[');
      String metric = string();
      expect(',');
      String sample = string();
      expect(',');
      List<String> names = new ArrayList<>();
      List<String> values = new ArrayList<>();
      expect('{');
      if (peek() != '}') {
        do {
          names.add(string());
          expect(':');
          values.add(string());
        } while (tryConsume(','));
      }
      expect('}');
      String help = "Multiprocess metric";
      if (tryConsume(',')) {
        help = string();
      }
      expect(']');
      skipSpace();
      if (i != s.length()) {
        throw new BadKey("trailing characters after the key");
      }
      if (metric.isEmpty() || sample.isEmpty()) {
        throw new BadKey("empty metric name");
      }
      String[] n = names.toArray(new String[0]);
      String[] v = values.toArray(new String[0]);
      for (int a = 0; a < n.length; a++) {
        for (int b = a + 1; b < n.length; b++) {
          if (n[a].equals(n[b])) {
            throw new BadKey("label " + n[a] + " twice");
          }
        }
      }
      Labels labels;
      try {
        labels = Labels.of(n, v);
      } catch (IllegalArgumentException e) {
        throw new BadKey("labels not allowed: " + e.getMessage());
      }
      double le = Double.NaN;
      Labels without = labels;
      int leIndex = names.indexOf("le");
      if (leIndex >= 0 && sample.endsWith("_bucket")) {
        try {
          le = PythonText.parseFloat(v[leIndex]);
        } catch (NumberFormatException e) {
          throw new BadKey("le is not a number: " + v[leIndex]);
        }
        names.remove(leIndex);
        values.remove(leIndex);
        without = Labels.of(names.toArray(new String[0]), values.toArray(new String[0]));
      }
      return new ParsedKey(raw, metric, sample, help, labels, without, le);
    }

    private void skipSpace() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) {
        i++;
      }
    }

    private char peek() throws BadKey {
      skipSpace();
      if (i >= s.length()) {
        throw new BadKey("key ends early");
      }
      return s.charAt(i);
    }

    private void expect(char c) throws BadKey {
      if (peek() != c) {
        throw new BadKey("expected '" + c + "' at " + i);
      }
      i++;
    }

    private boolean tryConsume(char c) throws BadKey {
      if (peek() == c) {
        i++;
        return true;
      }
      return false;
    }

    private String string() throws BadKey {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new BadKey("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw new BadKey("control character in a string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw new BadKey("unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"':
          case '\\':
          case '/':
            sb.append(e);
            break;
          case 'b':
            sb.append('\b');
            break;
          case 'f':
            sb.append('\f');
            break;
          case 'n':
            sb.append('\n');
            break;
          case 'r':
            sb.append('\r');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'u':
            if (i + 4 > s.length()) {
              throw new BadKey("short \\u escape");
            }
            int code = 0;
            for (int k = 0; k < 4; k++) {
              int digit = Character.digit(s.charAt(i++), 16);
              if (digit < 0) {
                throw new BadKey("bad \\u escape");
              }
              code = code * 16 + digit;
            }
            sb.append((char) code);
            break;
          default:
            throw new BadKey("bad escape \\" + e);
        }
      }
    }
  }
}
