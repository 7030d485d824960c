package io.github.javaprometheus.core;

import java.util.Locale;
import java.util.Objects;

/**
 * One key of the settings model: its {@code prometheus.*} name, the environment variable that sets
 * it (django-prometheus's name where it has one), its default, what it means, and how its text is
 * turned into a value. Each module declares its keys in a {@link SettingGroup}; {@link
 * PrometheusSettings} loads and validates them all in one pass, so a malformed value fails start-up
 * naming the key whichever module owns it.
 *
 * @param <T> the type of the parsed value
 */
public final class SettingKey<T> {

  /** Turns a setting's text into its value, or fails with {@link SettingValue#invalid}. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(SettingValue value);
  }

  private final String key;
  private final String environmentVariable;
  private final String defaultValue;
  private final Class<?> type;
  private final String description;
  private final Parser<T> parser;

  private SettingKey(
      String key,
      String environmentVariable,
      String defaultValue,
      Class<?> type,
      String description,
      Parser<T> parser) {
    if (!key.startsWith("prometheus.")) {
      throw new IllegalArgumentException("setting keys start with prometheus.: " + key);
    }
    this.key = key;
    this.environmentVariable = Objects.requireNonNull(environmentVariable, "environmentVariable");
    this.defaultValue = defaultValue;
    this.type = Objects.requireNonNull(type, "type");
    this.description = Objects.requireNonNull(description, "description");
    this.parser = Objects.requireNonNull(parser, "parser");
  }

  /**
   * A key whose value {@code parser} makes of the text; {@code defaultValue} is the text used when
   * no source sets the key (null: unset), {@code type} the Java type IDEs are told of.
   */
  public static <T> SettingKey<T> of(
      String key,
      String environmentVariable,
      String defaultValue,
      Class<?> type,
      String description,
      Parser<T> parser) {
    return new SettingKey<>(key, environmentVariable, defaultValue, type, description, parser);
  }

  /** A {@code true}/{@code false} key (case ignored). */
  public static SettingKey<Boolean> bool(
      String key, String environmentVariable, boolean defaultValue, String description) {
    return of(
        key,
        environmentVariable,
        String.valueOf(defaultValue),
        Boolean.class,
        description,
        SettingValue::asBoolean);
  }

  /** {@code prometheus.*} name, as written in {@code prometheus.properties}. */
  public String key() {
    return key;
  }

  /** The environment variable that sets this key. */
  public String environmentVariable() {
    return environmentVariable;
  }

  /** The text used when no source sets the key; null when it is unset by default. */
  public String defaultValue() {
    return defaultValue;
  }

  /** The Java type of the value, as IDE metadata names it. */
  public Class<?> type() {
    return type;
  }

  /** What the key does, one sentence. */
  public String description() {
    return description;
  }

  T parse(SettingValue value) {
    return parser.parse(value);
  }

  /** The key relaxed the way Spring binds: case, dashes and underscores ignored. */
  static String canonical(String key) {
    return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key;
  }
}
