package io.github.javaprometheus.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Counts the body bytes the application writes, through the output stream or the writer, without
 * buffering anything: every write goes straight to the container's own stream or writer, so
 * flushing, commit and error behaviour stay the container's.
 *
 * <p>This object and its stream or writer are allocated on every request, so their fields are
 * kept to the minimum: the count is an {@code int} that saturates (the body-size histogram's
 * largest bucket is 2^29), and the writer's charset is its class.
 */
final class MeteredResponse extends HttpServletResponseWrapper {
  private int bytes;
  // The stream or the writer: a response hands out only one of them.
  private Object sink;

  MeteredResponse(HttpServletResponse response) {
    super(response);
  }

  /** Body bytes written so far. */
  long bytes() {
    return bytes;
  }

  void add(long n) {
    long sum = bytes + n;
    bytes = sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
  }

  /** Whether the application declared the body length (so the body was not streamed). */
  boolean lengthDeclared() {
    return containsHeader("Content-Length");
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    Object s = sink;
    if (s instanceof CountingOutputStream) {
      return (CountingOutputStream) s;
    }
    CountingOutputStream stream = new CountingOutputStream(super.getOutputStream(), this);
    sink = stream;
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    Object w = sink;
    if (w instanceof CountingWriter) {
      return (CountingWriter) w;
    }
    PrintWriter target = super.getWriter();
    CountingWriter writer = CountingWriter.create(target, this, charsetOf(getCharacterEncoding()));
    sink = writer;
    return writer;
  }

  private static Charset charsetOf(String name) {
    if (name == null) {
      return StandardCharsets.ISO_8859_1;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }

  private static final class CountingOutputStream extends ServletOutputStream {
    private final ServletOutputStream target;
    private final MeteredResponse owner;

    CountingOutputStream(ServletOutputStream target, MeteredResponse owner) {
      this.target = target;
      this.owner = owner;
    }

    @Override
    public void write(int b) throws IOException {
      target.write(b);
      owner.add(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
      owner.add(len);
    }

    @Override
    public void write(byte[] b) throws IOException {
      target.write(b, 0, b.length);
      owner.add(b.length);
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
      int n = buffer.remaining();
      target.write(buffer);
      owner.add(n - buffer.remaining());
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }

    @Override
    public void close() throws IOException {
      target.close();
    }

    @Override
    public boolean isReady() {
      return target.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      target.setWriteListener(listener);
    }
  }

  /**
   * Delegates every call to the container's writer (kept in {@code out}) and adds the encoded
   * length of what was written. The subclass is the charset: UTF-8 and single-byte charsets are
   * counted arithmetically, others by encoding.
   */
  private abstract static class CountingWriter extends PrintWriter {
    final MeteredResponse owner;

    CountingWriter(PrintWriter target, MeteredResponse owner) {
      super(target);
      this.owner = owner;
    }

    static CountingWriter create(PrintWriter target, MeteredResponse owner, Charset charset) {
      if (charset.equals(StandardCharsets.UTF_8)) {
        return new Utf8(target, owner);
      }
      if (charset.equals(StandardCharsets.ISO_8859_1)
          || charset.equals(StandardCharsets.US_ASCII)
          || charset.name().startsWith("windows-125")) {
        return new SingleByte(target, owner);
      }
      return new Encoding(target, owner, charset);
    }

    abstract long length(String s, int off, int len);

    abstract long length(char[] buf, int off, int len);

    private PrintWriter target() {
      return (PrintWriter) out;
    }

    @Override
    public void write(int c) {
      target().write(c);
      owner.add(c < 0x80 ? 1 : length(String.valueOf((char) c), 0, 1));
    }

    @Override
    public void write(char[] buf, int off, int len) {
      target().write(buf, off, len);
      owner.add(length(buf, off, len));
    }

    @Override
    public void write(char[] buf) {
      write(buf, 0, buf.length);
    }

    @Override
    public void write(String s, int off, int len) {
      target().write(s, off, len);
      owner.add(length(s, off, len));
    }

    @Override
    public void write(String s) {
      write(s, 0, s.length());
    }

    @Override
    public void println() {
      // PrintWriter.println writes the separator to `out` directly, around our write methods.
      write(System.lineSeparator());
    }

    @Override
    public void flush() {
      target().flush();
    }

    @Override
    public void close() {
      target().close();
    }

    @Override
    public boolean checkError() {
      return target().checkError();
    }
  }

  /** One byte a character; an unmappable surrogate pair becomes one replacement byte. */
  private static final class SingleByte extends CountingWriter {
    SingleByte(PrintWriter target, MeteredResponse owner) {
      super(target, owner);
    }

    @Override
    long length(String s, int off, int len) {
      long n = len;
      int end = off + len - 1;
      for (int i = off; i < end; i++) {
        if (Character.isHighSurrogate(s.charAt(i)) && Character.isLowSurrogate(s.charAt(i + 1))) {
          n--;
          i++;
        }
      }
      return n;
    }

    @Override
    long length(char[] buf, int off, int len) {
      long n = len;
      int end = off + len - 1;
      for (int i = off; i < end; i++) {
        if (Character.isHighSurrogate(buf[i]) && Character.isLowSurrogate(buf[i + 1])) {
          n--;
          i++;
        }
      }
      return n;
    }
  }

  static final class Utf8 extends CountingWriter {
    Utf8(PrintWriter target, MeteredResponse owner) {
      super(target, owner);
    }

    @Override
    long length(String s, int off, int len) {
      long n = 0;
      int end = off + len;
      for (int i = off; i < end; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          n++;
        } else if (c < 0x800) {
          n += 2;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < end
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          n += 4;
          i++;
        } else {
          n += 3;
        }
      }
      return n;
    }

    @Override
    long length(char[] buf, int off, int len) {
      long n = 0;
      int end = off + len;
      for (int i = off; i < end; i++) {
        char c = buf[i];
        if (c < 0x80) {
          n++;
        } else if (c < 0x800) {
          n += 2;
        } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(buf[i + 1])) {
          n += 4;
          i++;
        } else {
          n += 3;
        }
      }
      return n;
    }
  }

  private static final class Encoding extends CountingWriter {
    private final Charset charset;

    Encoding(PrintWriter target, MeteredResponse owner, Charset charset) {
      super(target, owner);
      this.charset = charset;
    }

    @Override
    long length(String s, int off, int len) {
      return charset.encode(CharBuffer.wrap(s, off, off + len)).remaining();
    }

    @Override
    long length(char[] buf, int off, int len) {
      return charset.encode(CharBuffer.wrap(buf, off, len)).remaining();
    }
  }
}
