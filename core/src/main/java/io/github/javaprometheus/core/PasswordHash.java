package io.github.javaprometheus.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The hash of the metrics endpoints' password, so that the password itself is never in the
 * settings, in memory dumps or in logs: a plain SHA-256 ({@code prometheus.auth.password-sha256},
 * 64 hex digits, as {@code printf %s "$PASSWORD" | sha256sum} prints) or a salted PBKDF2 ({@code
 * prometheus.auth.password-pbkdf2}, {@code pbkdf2-sha256:<iterations>:<salt>:<hash>} in base64, as
 * {@code java -cp java-prometheus-core.jar io.github.javaprometheus.core.PasswordHash} prints).
 * Comparisons take the same time whatever the input.
 */
public final class PasswordHash {
  static final String PBKDF2_PREFIX = "pbkdf2-sha256:";
  private static final int PBKDF2_ITERATIONS = 210_000;
  private static final int MIN_PBKDF2_ITERATIONS = 10_000;

  private final byte[] expected;
  private final byte[] salt; // null: SHA-256
  private final int iterations;

  private PasswordHash(byte[] expected, byte[] salt, int iterations) {
    this.expected = expected;
    this.salt = salt;
    this.iterations = iterations;
  }

  /** From 64 hex digits (case ignored). */
  static PasswordHash sha256(SettingValue v) {
    String hex = v.trimmed();
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw v.invalidSecret(
          "expected the SHA-256 of the password as 64 hex digits, e.g. printf %s \"$PASSWORD\" |"
              + " sha256sum");
    }
    return new PasswordHash(HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT)), null, 0);
  }

  /** From {@code pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>}. */
  static PasswordHash pbkdf2(SettingValue v) {
    String allowed =
        "expected pbkdf2-sha256:<iterations>:<salt base64>:<hash base64> with at least "
            + MIN_PBKDF2_ITERATIONS
            + " iterations, as printed by java -cp java-prometheus-core.jar"
            + " io.github.javaprometheus.core.PasswordHash";
    String text = v.trimmed();
    String[] parts = text.split(":", -1);
    if (!text.startsWith(PBKDF2_PREFIX) || parts.length != 4) {
      throw v.invalidSecret(allowed);
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] hash = Base64.getDecoder().decode(parts[3]);
      if (iterations < MIN_PBKDF2_ITERATIONS || salt.length < 8 || hash.length < 16) {
        throw v.invalidSecret(allowed);
      }
      return new PasswordHash(hash, salt, iterations);
    } catch (IllegalArgumentException e) {
      if (e instanceof InvalidSettingException) {
        throw e;
      }
      throw v.invalidSecret(allowed);
    }
  }

  /** Whether {@code password} is the one hashed; the same time for every wrong one. */
  public boolean matches(char[] password) {
    byte[] actual = salt == null ? sha256(password) : pbkdf2(password, salt, iterations, expected.length);
    return MessageDigest.isEqual(actual, expected);
  }

  private static byte[] sha256(char[] password) {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] raw = new byte[bytes.remaining()];
    bytes.get(raw);
    try {
      return MessageDigest.getInstance("SHA-256").digest(raw);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    } finally {
      Arrays.fill(raw, (byte) 0);
      if (bytes.hasArray()) {
        Arrays.fill(bytes.array(), (byte) 0);
      }
    }
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int length) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** A new salted PBKDF2 form of {@code password}, for {@code prometheus.auth.password-pbkdf2}. */
  public static String newPbkdf2(char[] password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    byte[] hash = pbkdf2(password, salt, PBKDF2_ITERATIONS, 32);
    Base64.Encoder b64 = Base64.getEncoder();
    return PBKDF2_PREFIX + PBKDF2_ITERATIONS + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
  }

  /** Prints the PBKDF2 form of the password read from the console (or the first line of stdin). */
  public static void main(String[] args) throws java.io.IOException {
    char[] password;
    if (System.console() != null) {
      password = System.console().readPassword("Password: ");
    } else {
      String line =
          new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
              .readLine();
      password = line == null ? new char[0] : line.toCharArray();
    }
    if (password == null || password.length == 0) {
      System.err.println("no password given");
      System.exit(2);
    }
    System.out.println(newPbkdf2(password));
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return (salt == null ? "sha256:" : PBKDF2_PREFIX) + "<hidden>";
  }
}
