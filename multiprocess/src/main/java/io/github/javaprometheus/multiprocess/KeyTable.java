package io.github.javaprometheus.multiprocess;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decoded keys by their raw bytes, kept between scrapes: every process writes the same keys, so a
 * merge of hundreds of files decodes each distinct key once and then only hashes and compares
 * bytes in place, without allocating. Open addressing; used by the merging thread only.
 */
final class KeyTable {
  private static final int MAX_SIZE = 1 << 20;
  // Eight bytes of a key at a time, in the byte order of the buffer they are compared with.
  private static final VarHandle LONGS_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONGS_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[][] keys = new byte[1024][];
  private ParsedKey[] values = new ParsedKey[1024];
  private int[] hashes = new int[1024];
  private int size;

  static int hash(ByteBuffer data, int offset, int length) {
    long h = length;
    int i = offset;
    int end = offset + length;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ data.getLong(i)) * 0x9E3779B97F4A7C15L;
    }
    for (; i < end; i++) {
      h = (h ^ data.get(i)) * 0x100000001B3L;
    }
    h ^= h >>> 29;
    return (int) (h ^ (h >>> 32));
  }

  ParsedKey get(ByteBuffer data, int offset, int length, int hash) {
    int mask = keys.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      byte[] k = keys[i];
      if (k == null) {
        return null;
      }
      if (hashes[i] == hash && k.length == length && sameBytes(data, offset, k)) {
        return values[i];
      }
    }
  }

  /**
   * Whether {@code data} holds {@code key} at {@code offset}: compared in place, eight bytes at a
   * time, without the buffer views a {@code slice().mismatch(wrap())} would allocate per key.
   */
  static boolean sameBytes(ByteBuffer data, int offset, byte[] key) {
    VarHandle longs = data.order() == ByteOrder.LITTLE_ENDIAN ? LONGS_LE : LONGS_BE;
    int n = key.length;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      if (data.getLong(offset + i) != (long) longs.get(key, i)) {
        return false;
      }
    }
    for (; i < n; i++) {
      if (data.get(offset + i) != key[i]) {
        return false;
      }
    }
    return true;
  }

  void put(int hash, ParsedKey value) {
    if (size >= MAX_SIZE) {
      clear(); // A directory with over a million distinct keys: keep memory bounded, decode again.
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    insert(value.raw, hash, value);
    size++;
  }

  private void insert(byte[] key, int hash, ParsedKey value) {
    int mask = keys.length - 1;
    int i = hash & mask;
    while (keys[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    hashes[i] = hash;
    values[i] = value;
  }

  private void grow() {
    byte[][] oldKeys = keys;
    ParsedKey[] oldValues = values;
    int[] oldHashes = hashes;
    keys = new byte[oldKeys.length * 2][];
    values = new ParsedKey[oldKeys.length * 2];
    hashes = new int[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        insert(oldKeys[i], oldHashes[i], oldValues[i]);
      }
    }
  }

  private void clear() {
    Arrays.fill(keys, null);
    Arrays.fill(values, null);
    size = 0;
  }
}
