package io.github.javaprometheus.multiprocess;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Values of one child in a mapped file: 8-byte aligned doubles updated in place, lock-free. An
 * increment is a compare-and-set of the value's bits on the shared mapping, so it is in the file
 * (the kernel's page cache) when the call returns, visible to every reader and kept if the
 * process is killed.
 */
final class Slots {
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  final ByteBuffer buffer;
  final int[] offsets;

  Slots(ByteBuffer buffer, int[] offsets) {
    this.buffer = buffer;
    this.offsets = offsets;
  }

  static void add(ByteBuffer buffer, int offset, double amount) {
    long prev;
    long next;
    do {
      prev = (long) LONG.getVolatile(buffer, offset);
      next = Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + amount);
    } while (!LONG.compareAndSet(buffer, offset, prev, next));
  }

  /** One compare-and-set attempt; false when another thread changed the value meanwhile. */
  static boolean tryAdd(ByteBuffer buffer, int offset, double amount) {
    long prev = (long) LONG.getVolatile(buffer, offset);
    return LONG.compareAndSet(
        buffer, offset, prev, Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + amount));
  }

  static double get(ByteBuffer buffer, int offset) {
    return Double.longBitsToDouble((long) LONG.getVolatile(buffer, offset));
  }

  static void set(ByteBuffer buffer, int offset, double value) {
    LONG.setVolatile(buffer, offset, Double.doubleToRawLongBits(value));
  }
}
