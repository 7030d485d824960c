package io.github.javaprometheus.servlet;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Values kept by HTTP status code, for the codes 0 to 999 (every code a container sends has three
 * digits). The codes are held in ten blocks of a hundred, each created on its first use, so a view
 * that answers 200, 404 and 500 holds three blocks and a lookup is two array reads, however many
 * statuses the view has answered. Codes outside 0..999 are not kept: callers resolve them on each
 * request.
 *
 * <p>Lock-free: a block is installed with a compare-and-set, values with a volatile write. Two
 * threads resolving the same code keep the first value; both values are the same handle anyway,
 * since a family returns the same child for the same labels.
 *
 * @param <T> the kept value: a child handle, or a row of handles by method
 */
final class StatusTable<T> {
  /** Codes below this are kept. */
  static final int LIMIT = 1000;

  private static final int BLOCK = 100;

  private final AtomicReferenceArray<AtomicReferenceArray<T>> blocks =
      new AtomicReferenceArray<>(LIMIT / BLOCK);

  /** The value kept for {@code status}, or null. */
  T get(int status) {
    if (status < 0 || status >= LIMIT) {
      return null;
    }
    AtomicReferenceArray<T> block = blocks.get(status / BLOCK);
    return block == null ? null : block.get(status % BLOCK);
  }

  /**
   * Keeps {@code value} for {@code status} unless a value is kept already, and returns the kept
   * one; outside 0..999 nothing is kept and {@code value} is returned.
   */
  T keep(int status, T value) {
    if (status < 0 || status >= LIMIT) {
      return value;
    }
    int b = status / BLOCK;
    AtomicReferenceArray<T> block = blocks.get(b);
    if (block == null) {
      AtomicReferenceArray<T> created = new AtomicReferenceArray<>(BLOCK);
      block = blocks.compareAndSet(b, null, created) ? created : blocks.get(b);
    }
    int i = status % BLOCK;
    return block.compareAndSet(i, null, value) ? value : block.get(i);
  }
}
