package io.github.javaprometheus.core;

/**
 * The text of one setting as a source gave it, with where it came from, for a {@link
 * SettingKey.Parser}: {@link #invalid} builds the error that names key, source, value and what is
 * allowed.
 */
public final class SettingValue {
  private final String key;
  private final String text;
  private final String source;

  SettingValue(String key, String text, String source) {
    this.key = key;
    this.text = text;
    this.source = source;
  }

  /** The text as given; null when unset. */
  public String text() {
    return text;
  }

  /** The text without surrounding blanks; empty when unset. */
  public String trimmed() {
    return text == null ? "" : text.trim();
  }

  /** Whether the value is unset or blank. */
  public boolean isBlank() {
    return text == null || text.trim().isEmpty();
  }

  /**
   * The failure for a secret value (a password hash, a keystore password): names the key and the
   * source, never the value.
   */
  public InvalidSettingException invalidSecret(String allowed) {
    return new InvalidSettingException(key, source, "<hidden>", allowed);
  }

  /** The {@code prometheus.*} key this value is for. */
  public String key() {
    return key;
  }

  /** The failure for this value: {@code allowed} says what would have been accepted. */
  public InvalidSettingException invalid(String allowed) {
    return new InvalidSettingException(key, source, text, allowed);
  }

  /** {@code true} or {@code false}, case ignored. */
  public boolean asBoolean() {
    String v = trimmed();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid("expected true or false");
  }

  /** A whole number {@code >= min}. */
  public int asInt(int min) {
    try {
      int v = Integer.parseInt(trimmed());
      if (v >= min) {
        return v;
      }
    } catch (NumberFormatException e) {
      // the error below says what is allowed
    }
    throw invalid("expected a whole number >= " + min);
  }
}
