package io.github.javaprometheus.multiprocess;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one {@code .db} file as prometheus_client's {@code read_all_values_from_file} does (the
 * used part only, with plain reads, no mapping), recognises its layout (one value, or value and
 * timestamp, per entry) and checks its structure before any value is used: a truncated or corrupt
 * file is reported whole, never half-merged.
 */
final class DbFile {

  /** Why a file was skipped; the {@code reason} label of the file-errors counter. */
  enum Problem {
    /** Its header claims more bytes than the file has (or the file is shorter than a header). */
    TRUNCATED,
    /** Its entries do not chain up to the used size, or a key is not prometheus_client's JSON. */
    CORRUPT,
    /** Its name is not {@code counter|histogram|summary_<pid>.db} or {@code gauge_<mode>_<pid>.db}. */
    FOREIGN,
    /** It could not be read (permissions, I/O error). */
    UNREADABLE;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Receives every entry of a valid file. */
  interface Visitor {
    void entry(ByteBuffer data, int keyOffset, int keyLength, double value, double timestamp);
  }

  /** The used bytes of a file and its layout, or the problem that makes it unusable. */
  static final class Contents {
    private final ByteBuffer data;
    private final int used;
    private final FileFormat format;
    private final int entries;
    private final Problem error;
    private final String message;

    private Contents(ByteBuffer data, int used, FileFormat format, int entries, Problem error, String message) {
      this.data = data;
      this.used = used;
      this.format = format;
      this.entries = entries;
      this.error = error;
      this.message = message;
    }

    static Contents failed(Problem problem, String message) {
      return new Contents(null, 0, null, 0, problem, message);
    }

    Problem error() {
      return error;
    }

    String message() {
      return message;
    }

    FileFormat format() {
      return format;
    }

    int entries() {
      return entries;
    }

    ByteBuffer data() {
      return data;
    }

    int used() {
      return used;
    }

    void forEach(Visitor visitor) {
      int valueBytes = format.valueBytes;
      int pos = MmapFile.HEADER;
      while (pos < used) {
        int length = data.getInt(pos);
        int valuePos = pos + 4 + MmapFile.padded(length);
        double value = data.getDouble(valuePos);
        double timestamp = valueBytes == 16 ? data.getDouble(valuePos + 8) : 0.0;
        visitor.entry(data, pos + 4, length, value, timestamp);
        pos = valuePos + valueBytes;
      }
    }
  }

  private DbFile() {}

  /**
   * Reads {@code path}. {@code preferred} is the layout tried first, {@code expectedUsed} the used
   * size seen last time (0 if unknown: one read then fetches the whole used part), {@code reuse}
   * (may be null) a buffer the result may use. A file that vanished (a live gauge file of a process
   * just marked dead) reads as empty.
   */
  static Contents read(Path path, FileFormat preferred, int expectedUsed, ByteBuffer reuse) {
    ByteBuffer data = reuse;
    int used;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      // As Python: a first block holding the used size, then only the rest of the used part.
      int want = Math.max(4096, expectedUsed);
      if (data == null || data.capacity() < want) {
        data = allocate(Math.max(want, 1 << 16));
      }
      int got = readUpTo(channel, data, 0, want);
      if (got == 0) {
        // Python creates the file, then sizes it: between the two it is empty.
        return new Contents(data, 0, preferred, 0, null, null);
      }
      if (got < MmapFile.HEADER) {
        return Contents.failed(Problem.TRUNCATED, "shorter (" + got + " bytes) than the 8-byte header");
      }
      used = data.getInt(0);
      if (used == 0) {
        return new Contents(data, 0, preferred, 0, null, null);
      }
      if (used < MmapFile.HEADER) {
        return Contents.failed(Problem.CORRUPT, "used size " + used + " is not a valid size");
      }
      if (used > got) {
        if (got < want) {
          return Contents.failed(
              Problem.TRUNCATED, "header says " + used + " bytes are used but the file has " + got);
        }
        if (data.capacity() < used) {
          ByteBuffer bigger = allocate(Math.max(used, data.capacity() * 2));
          bigger.put(0, data, 0, got);
          data = bigger;
        }
        int rest = readUpTo(channel, data, got, used - got);
        if (rest < used - got) {
          return Contents.failed(
              Problem.TRUNCATED,
              "header says " + used + " bytes are used but the file has " + (got + rest));
        }
      }
    } catch (NoSuchFileException e) {
      return new Contents(data == null ? allocate(0) : data, 0, preferred, 0, null, null);
    } catch (IOException e) {
      return Contents.failed(Problem.UNREADABLE, e.toString());
    }
    int entries = count(data, used, preferred.valueBytes);
    FileFormat format = preferred;
    if (entries < 0) {
      format = preferred.other();
      entries = count(data, used, format.valueBytes);
    }
    if (entries < 0) {
      return Contents.failed(
          Problem.CORRUPT, "entries do not chain up to the used size " + used + " in either layout");
    }
    return new Contents(data, used, format, entries, null, null);
  }

  /** As {@link #read(Path, FileFormat, int, ByteBuffer)} without hints. */
  static Contents read(Path path, FileFormat preferred, ByteBuffer reuse) {
    return read(path, preferred, 0, reuse);
  }

  /** Direct, in native order: the channel reads straight into it, with no copy through the heap. */
  static ByteBuffer allocate(int capacity) {
    return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
  }

  /** Reads up to {@code length} bytes at {@code offset}; fewer only at the end of the file. */
  private static int readUpTo(FileChannel channel, ByteBuffer data, int offset, int length) throws IOException {
    ByteBuffer b = data.duplicate();
    b.limit(offset + length).position(offset);
    long pos = offset;
    while (b.hasRemaining()) {
      int n = channel.read(b, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
    return (int) (pos - offset);
  }

  /**
   * Walks the entries with values of {@code valueBytes}: every key must be non-empty, look like a
   * JSON list and fit, and the last entry must end exactly at {@code used}. The number of entries,
   * or -1.
   */
  static int count(ByteBuffer data, int used, int valueBytes) {
    int pos = MmapFile.HEADER;
    int n = 0;
    while (pos < used) {
      if (pos + 4 > used) {
        return -1;
      }
      int length = data.getInt(pos);
      if (length < 2 || length > used - pos - 4) {
        return -1;
      }
      int valuePos = pos + 4 + MmapFile.padded(length);
      if ((long) valuePos + valueBytes > used) {
        return -1;
      }
      if (data.get(pos + 4) != '[' || data.get(pos + 4 + length - 1) != ']') {
        return -1;
      }
      pos = valuePos + valueBytes;
      n++;
    }
    return pos == used ? n : -1;
  }
}
