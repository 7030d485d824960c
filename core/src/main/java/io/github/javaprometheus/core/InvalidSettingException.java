package io.github.javaprometheus.core;

/** A setting has a value that cannot be used; the message names the key, the value and what is allowed. */
public final class InvalidSettingException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;

  InvalidSettingException(String key, String source, String value, String allowed) {
    super(
        "Invalid setting "
            + key
            + (source == null || source.equals(key) ? "" : " (from " + source + ")")
            + "="
            + (value == null ? "<unset>" : "'" + value + "'")
            + ": "
            + allowed);
    this.key = key;
    this.value = value;
  }

  /**
   * For integrations that check a setting themselves (a directory that must exist, ...): the
   * message names the key, the value and what is allowed.
   */
  public InvalidSettingException(String key, String value, String allowed) {
    this(key, null, value, allowed);
  }

  /** The {@code prometheus.*} key that was rejected. */
  public String key() {
    return key;
  }

  /** The rejected value as given. */
  public String value() {
    return value;
  }
}
