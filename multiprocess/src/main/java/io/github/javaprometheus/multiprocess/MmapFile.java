package io.github.javaprometheus.multiprocess;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@code <type>_<pid>.db} file of this process, memory-mapped read-write, in the layout of
 * prometheus_client's {@code MmapedDict}: a 4-byte used size and 4 bytes of padding, then entries
 * of a 4-byte key length, the UTF-8 key padded with spaces so that the value is 8-byte aligned
 * (always 1 to 8 spaces), and the 8-byte double value (and, in the 0.17 layout, an 8-byte double
 * timestamp). All in native byte order, as Python's {@code struct} writes it. The file starts at 64
 * KiB and doubles when full.
 *
 * <p>New entries are written past the used size first and published by a release store of the new
 * used size, so a reader (or a {@code kill -9} in between) never sees half an entry. Values are
 * updated in place by the children through {@link Slots}; nothing is buffered in the process.
 */
final class MmapFile {
  static final int INITIAL_SIZE = 1 << 16;
  static final int HEADER = 8;
  /** Two cache lines (adjacent lines are prefetched together on x86). */
  static final int CELL_SPACING = 128;
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final System.Logger LOG = System.getLogger(MmapFile.class.getName());

  private final Path path;
  private final FileChannel channel;
  private final int valueBytes;
  private final Map<String, Integer> positions = new HashMap<>();
  private MappedByteBuffer buffer; // guarded by this
  private int capacity; // guarded by this
  private int used; // guarded by this

  private MmapFile(Path path, FileChannel channel, int valueBytes) {
    this.path = path;
    this.channel = channel;
    this.valueBytes = valueBytes;
  }

  /**
   * Opens or creates the file. An existing file (a process that had this pid before, or a restart
   * with the same process id) is continued: its entries keep their values, as Python does. An
   * existing file this layout cannot continue (corrupt, or written in the other layout) is moved
   * aside to {@code <name>.corrupt-<millis>} and a new one is started.
   */
  static MmapFile open(Path path, FileFormat format) throws IOException {
    if (Files.exists(path) && !continuable(path, format)) {
      Path aside = path.resolveSibling(path.getFileName() + ".corrupt-" + System.currentTimeMillis());
      Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
      LOG.log(
          System.Logger.Level.WARNING,
          "java-prometheus: " + path + " cannot be continued (corrupt, truncated or in the other"
              + " layout than prometheus.multiproc-format=" + format.setting() + "); moved it to "
              + aside + " and started a new file");
    }
    FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      MmapFile file = new MmapFile(path, channel, format.valueBytes);
      file.init();
      return file;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static boolean continuable(Path path, FileFormat format) throws IOException {
    DbFile.Contents contents = DbFile.read(path, format, null);
    return contents.error() == null && (contents.entries() == 0 || contents.format() == format);
  }

  private synchronized void init() throws IOException {
    long size = channel.size();
    if (size == 0) {
      allocate(0, INITIAL_SIZE);
      size = INITIAL_SIZE;
    }
    capacity = (int) size;
    buffer = map(capacity);
    used = buffer.getInt(0);
    if (used == 0) {
      used = HEADER;
      INT.setRelease(buffer, 0, used);
      return;
    }
    int pos = HEADER;
    while (pos < used) {
      int length = buffer.getInt(pos);
      byte[] key = new byte[length];
      buffer.get(pos + 4, key);
      int valuePos = pos + 4 + padded(length);
      // Later duplicates win, as in Python; every duplicate still counts when files are merged.
      positions.put(new String(key, StandardCharsets.UTF_8), valuePos);
      pos = valuePos + valueBytes;
    }
  }

  /** Key bytes plus spaces: the value that follows is 8-byte aligned. 1 to 8 spaces, as Python. */
  static int padded(int keyLength) {
    return keyLength + (8 - (keyLength + 4) % 8);
  }

  /**
   * The positions of the values of these keys, creating entries (value 0) for new ones; all in
   * one mapping, which is returned in {@code slots}.
   */
  synchronized Slots slots(String... keys) throws IOException {
    byte[][] encoded = new byte[keys.length][];
    int needed = 0;
    for (int i = 0; i < keys.length; i++) {
      if (!positions.containsKey(keys[i])) {
        encoded[i] = keys[i].getBytes(StandardCharsets.UTF_8);
        needed += 4 + padded(encoded[i].length) + valueBytes;
      }
    }
    ensureCapacity(needed);
    int[] offsets = new int[keys.length];
    int pos = used;
    for (int i = 0; i < keys.length; i++) {
      Integer existing = positions.get(keys[i]);
      if (existing != null) {
        offsets[i] = existing;
        continue;
      }
      int valuePos = append(pos, encoded[i]);
      positions.put(keys[i], valuePos);
      offsets[i] = valuePos;
      pos = valuePos + valueBytes;
    }
    if (pos != used) {
      used = pos;
      // Entries first, then the used size: a reader sees whole entries or none.
      INT.setRelease(buffer, 0, used);
    }
    return new Slots(buffer, offsets);
  }

  /**
   * Appends {@code n} more entries for each of {@code keys} (duplicates of existing keys: readers,
   * Python's included, sum duplicate counter and histogram entries). Each returned {@link Slots}
   * holds one copy of every key, all in one mapping. Copies used by different threads are at least
   * {@value #CELL_SPACING} bytes apart, so they never share a cache line: small copies get unused
   * copies (at 0) between them. The positions of the keys are unchanged.
   */
  synchronized Slots[] duplicates(int n, String... keys) throws IOException {
    byte[][] encoded = new byte[keys.length][];
    int perCopy = 0;
    for (int i = 0; i < keys.length; i++) {
      encoded[i] = keys[i].getBytes(StandardCharsets.UTF_8);
      perCopy += 4 + padded(encoded[i].length) + valueBytes;
    }
    int stride = (CELL_SPACING + perCopy - 1) / perCopy;
    // Small copies: one spacer first too, away from whatever entry comes before.
    int copies = stride == 1 ? n : n * stride + 1;
    ensureCapacity((long) perCopy * copies);
    Slots[] result = new Slots[n];
    int pos = used;
    for (int c = 0; c < copies; c++) {
      int[] offsets = new int[keys.length];
      for (int i = 0; i < keys.length; i++) {
        offsets[i] = append(pos, encoded[i]);
        pos = offsets[i] + valueBytes;
      }
      if (stride == 1) {
        result[c] = new Slots(buffer, offsets);
      } else if (c > 0 && c % stride == 0) {
        result[c / stride - 1] = new Slots(buffer, offsets);
      }
    }
    used = pos;
    INT.setRelease(buffer, 0, used);
    return result;
  }

  private void ensureCapacity(long needed) throws IOException {
    if (used + needed <= capacity) {
      return;
    }
    long newCapacity = capacity;
    while (used + needed > newCapacity) {
      newCapacity *= 2;
    }
    if (newCapacity > Integer.MAX_VALUE) {
      throw new IOException(path + " would exceed 2 GiB, the limit of the format");
    }
    allocate(capacity, (int) newCapacity);
    capacity = (int) newCapacity;
    // Earlier mappings stay valid and coherent (same file pages): children keep theirs.
    buffer = map(capacity);
  }

  /** Writes one entry (value 0) at {@code pos}, not yet published; returns its value's position. */
  private int append(int pos, byte[] key) {
    int valuePos = pos + 4 + padded(key.length);
    buffer.putInt(pos, key.length);
    buffer.put(pos + 4, key);
    for (int p = pos + 4 + key.length; p < valuePos; p++) {
      buffer.put(p, (byte) ' ');
    }
    for (int p = valuePos; p < valuePos + valueBytes; p++) {
      buffer.put(p, (byte) 0);
    }
    return valuePos;
  }

  /** Writes zeros to [from, to): the blocks exist now, so a full disk fails here, not as SIGBUS later. */
  private void allocate(long from, int to) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate(8192);
    long pos = from;
    while (pos < to) {
      zeros.clear();
      zeros.limit((int) Math.min(zeros.capacity(), to - pos));
      pos += channel.write(zeros, pos);
    }
  }

  private MappedByteBuffer map(int size) throws IOException {
    MappedByteBuffer b = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
    b.order(ByteOrder.nativeOrder());
    return b;
  }

  /**
   * Closes the channel. The store keeps its files open for the life of the process (the children
   * write into the mappings, which outlive the channel anyway); this is for code that opens the
   * same file again in one JVM, as the tests of continuation and of the byte layout do.
   */
  synchronized void close() throws IOException {
    channel.close();
  }
}
