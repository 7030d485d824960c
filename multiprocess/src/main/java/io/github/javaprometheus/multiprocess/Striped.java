package io.github.javaprometheus.multiprocess;

import java.io.IOException;

/**
 * The values of a counter or histogram child, striped under contention as {@code LongAdder} is:
 * threads add to the child's entries with one compare-and-set; the first time one fails, the child
 * gets cells, each a copy of its entries appended to the file (the same keys again), and threads
 * spread over them, more cells as collisions go on, up to twice the number of processors.
 *
 * <p>Python's reader and ours sum every entry of a key in counter and histogram files, so cells
 * are invisible in the merge; they cost file space only for children that were contended. Each
 * add lands in the mapped file when it returns, as without cells.
 */
abstract class Striped {
  static final int MAX_CELLS =
      Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2);

  /** Appends {@code n} copies of the child's entries to its file. */
  interface CellFactory {
    Slots[] create(int n) throws IOException;
  }

  /** Per thread: where in the cells it adds; moved when it collides, as LongAdder's probe. */
  private static final ThreadLocal<int[]> PROBE =
      ThreadLocal.withInitial(
          () -> new int[] {(int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 32) | 1});

  final Slots base;
  private final CellFactory factory;
  private volatile Slots[] cells;

  Striped(Slots base, CellFactory factory) {
    this.base = base;
    this.factory = factory;
  }

  /** Adds {@code amount} to value {@code index}; returns the cell used, for more adds to it. */
  final Slots add(int index, double amount) {
    Slots[] cs = cells;
    if (cs == null) {
      if (Slots.tryAdd(base.buffer, base.offsets[index], amount)) {
        return base;
      }
      cs = grow(null);
      if (cs == null) {
        Slots.add(base.buffer, base.offsets[index], amount);
        return base;
      }
    }
    int[] probe = PROBE.get();
    int h = probe[0];
    for (int attempt = 0; ; attempt++) {
      Slots c = cs[h & (cs.length - 1)];
      if (Slots.tryAdd(c.buffer, c.offsets[index], amount)) {
        if (attempt > 0) {
          probe[0] = h; // stay where there was no collision
        }
        return c;
      }
      if (attempt > 0 && cs.length < MAX_CELLS) {
        Slots[] grown = grow(cs);
        if (grown != null) {
          cs = grown;
        }
      }
      h ^= h << 13; // xorshift: another cell next time
      h ^= h >>> 17;
      h ^= h << 5;
    }
  }

  private synchronized Slots[] grow(Slots[] seen) {
    Slots[] current = cells;
    if (current != seen) {
      return current; // another thread grew them
    }
    int n = current == null ? 2 : current.length * 2;
    if (n > MAX_CELLS) {
      return current;
    }
    try {
      Slots[] added = factory.create(current == null ? n : n - current.length);
      Slots[] next = new Slots[n];
      int k = 0;
      if (current != null) {
        for (Slots c : current) {
          next[k++] = c;
        }
      }
      for (Slots c : added) {
        next[k++] = c;
      }
      cells = next;
      return next;
    } catch (IOException | RuntimeException e) {
      return current; // the file cannot grow (disk full): keep contending on what there is
    }
  }

  /** Value {@code index} summed over the entries and the cells. */
  final double sum(int index) {
    double sum = Slots.get(base.buffer, base.offsets[index]);
    Slots[] cs = cells;
    if (cs != null) {
      for (Slots c : cs) {
        sum += Slots.get(c.buffer, c.offsets[index]);
      }
    }
    return sum;
  }

  /** How many cells the child has (0 while never contended). */
  final int cellCount() {
    Slots[] cs = cells;
    return cs == null ? 0 : cs.length;
  }
}
