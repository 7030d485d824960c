package io.github.javaprometheus.core;

/** An inclusive range of TCP ports, written {@code 8001-8050}. */
public final class PortRange {
  private final int first;
  private final int last;

  private PortRange(int first, int last) {
    this.first = first;
    this.last = last;
  }

  /** A range from {@code first} to {@code last}, both inclusive, within 1..65535. */
  public static PortRange of(int first, int last) {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("port range must satisfy 1 <= first <= last <= 65535");
    }
    return new PortRange(first, last);
  }

  public int first() {
    return first;
  }

  public int last() {
    return last;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortRange && ((PortRange) o).first == first && ((PortRange) o).last == last;
  }

  @Override
  public int hashCode() {
    return first * 65536 + last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
