package io.github.javaprometheus.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Counts the body bytes the application writes, through the output stream or the writer, without
 * buffering anything: every write goes straight to the container's own stream or writer, so
 * flushing, commit and error behaviour stay the container's.
 */
final class MeteredResponse extends HttpServletResponseWrapper {
  long bytes;
  boolean lengthDeclared;
  // One field for the stream or the writer (a response hands out only one): every byte of this
  // object is allocated on every request.
  private Object sink;

  MeteredResponse(HttpServletResponse response) {
    super(response);
  }

  @Override
  public void setContentLength(int len) {
    super.setContentLength(len);
    lengthDeclared = len >= 0;
  }

  @Override
  public void setContentLengthLong(long len) {
    super.setContentLengthLong(len);
    lengthDeclared = len >= 0;
  }

  @Override
  public void setHeader(String name, String value) {
    super.setHeader(name, value);
    if ("Content-Length".equalsIgnoreCase(name)) {
      lengthDeclared = value != null;
    }
  }

  @Override
  public void addHeader(String name, String value) {
    super.addHeader(name, value);
    if ("Content-Length".equalsIgnoreCase(name)) {
      lengthDeclared = value != null;
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    super.setIntHeader(name, value);
    if ("Content-Length".equalsIgnoreCase(name)) {
      lengthDeclared = true;
    }
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
    CountingWriter writer = new CountingWriter(target, this, charsetOf(getCharacterEncoding()));
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
      owner.bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
      owner.bytes += len;
    }

    @Override
    public void write(byte[] b) throws IOException {
      target.write(b, 0, b.length);
      owner.bytes += b.length;
    }

    @Override
    public void write(java.nio.ByteBuffer buffer) throws IOException {
      int n = buffer.remaining();
      target.write(buffer);
      owner.bytes += n - buffer.remaining();
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
   * Delegates every call to the container's writer and adds the encoded length of what was
   * written. UTF-8 and single-byte charsets are counted arithmetically; others by encoding.
   */
  private static final class CountingWriter extends PrintWriter {
    private static final byte SINGLE_BYTE = 0;
    private static final byte UTF_8 = 1;
    private static final byte OTHER = 2;

    private final MeteredResponse owner;
    private final byte kind;

    CountingWriter(PrintWriter target, MeteredResponse owner, Charset charset) {
      super(target);
      this.owner = owner;
      if (charset.equals(StandardCharsets.UTF_8)) {
        kind = UTF_8;
      } else if (charset.equals(StandardCharsets.ISO_8859_1)
          || charset.equals(StandardCharsets.US_ASCII)
          || charset.name().startsWith("windows-125")) {
        kind = SINGLE_BYTE;
      } else {
        kind = OTHER;
      }
    }

    /** The container's writer; kept in {@code out} rather than a field of our own. */
    private PrintWriter target() {
      return (PrintWriter) out;
    }

    private void count(CharSequence s, int off, int len) {
      if (kind == SINGLE_BYTE) {
        owner.bytes += len;
      } else if (kind == UTF_8) {
        owner.bytes += utf8Length(s, off, len);
      } else {
        Charset charset = charsetOf(owner.getCharacterEncoding());
        owner.bytes += charset.encode(java.nio.CharBuffer.wrap(s, off, off + len)).remaining();
      }
    }

    static long utf8Length(CharSequence s, int off, int len) {
      long n = 0;
      int end = off + len;
      for (int i = off; i < end; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          n++;
        } else if (c < 0x800) {
          n += 2;
        } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
          n += 4;
          i++;
        } else {
          n += 3;
        }
      }
      return n;
    }

    @Override
    public void write(int c) {
      target().write(c);
      if (kind == SINGLE_BYTE || c < 0x80) {
        owner.bytes++;
      } else {
        count(String.valueOf((char) c), 0, 1);
      }
    }

    @Override
    public void write(char[] buf, int off, int len) {
      target().write(buf, off, len);
      count(java.nio.CharBuffer.wrap(buf), off, len);
    }

    @Override
    public void write(char[] buf) {
      write(buf, 0, buf.length);
    }

    @Override
    public void write(String s, int off, int len) {
      target().write(s, off, len);
      count(s, off, len);
    }

    @Override
    public void write(String s) {
      write(s, 0, s.length());
    }

    @Override
    public void println() {
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
}
