package io.github.javaprometheus.core;

import java.util.Arrays;

/**
 * A setting that must not appear in logs or error messages (a keystore password): its {@code
 * toString} hides it, and each {@link #reveal()} hands out a copy the caller can wipe.
 */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  /** A secret holding a copy of {@code value}. */
  public static Secret of(String value) {
    return new Secret(value.toCharArray());
  }

  /** A copy of the secret; wipe it ({@code Arrays.fill(c, '\0')}) when done. */
  public char[] reveal() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret && Arrays.equals(value, ((Secret) o).value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "<hidden>";
  }
}
