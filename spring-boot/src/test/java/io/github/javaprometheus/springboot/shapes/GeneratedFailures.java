package io.github.javaprometheus.springboot.shapes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exception classes made at run time, named {@code GeneratedFailureNNNN}: the template's class
 * file with its four digits replaced (same length, so the constant pool stays valid), each defined
 * by a loader of its own.
 */
final class GeneratedFailures {
  private static final String TEMPLATE = "GeneratedFailure0000";
  private static final byte[] BYTES = read();
  private static final ConcurrentHashMap<String, Class<?>> TYPES = new ConcurrentHashMap<>();

  private GeneratedFailures() {}

  /** A new instance of {@code GeneratedFailure<digits>}; digits are four 0-9 characters. */
  static RuntimeException create(String digits) {
    if (!digits.matches("[0-9]{4}")) {
      throw new IllegalArgumentException("four digits expected: " + digits);
    }
    Class<?> type = TYPES.computeIfAbsent(digits, GeneratedFailures::define);
    try {
      return (RuntimeException) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> define(String digits) {
    byte[] bytes = BYTES.clone();
    byte[] from = TEMPLATE.getBytes(StandardCharsets.US_ASCII);
    byte[] to = ("GeneratedFailure" + digits).getBytes(StandardCharsets.US_ASCII);
    int replaced = 0;
    for (int i = 0; i + from.length <= bytes.length; i++) {
      boolean match = true;
      for (int j = 0; j < from.length && match; j++) {
        match = bytes[i + j] == from[j];
      }
      if (match) {
        System.arraycopy(to, 0, bytes, i, to.length);
        replaced++;
      }
    }
    if (replaced == 0) {
      throw new IllegalStateException("template name not found in its class file");
    }
    return new Loader(GeneratedFailures.class.getClassLoader()).define(bytes);
  }

  private static byte[] read() {
    try (InputStream in = GeneratedFailures.class.getResourceAsStream(TEMPLATE + ".class")) {
      if (in == null) {
        throw new IllegalStateException(TEMPLATE + ".class not found");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Loader extends ClassLoader {
    Loader(ClassLoader parent) {
      super(parent);
    }

    Class<?> define(byte[] bytes) {
      return defineClass(null, bytes, 0, bytes.length);
    }
  }
}
