package io.github.javaprometheus.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A list of IPv4 and IPv6 networks in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}; a bare
 * address is a network of one). Only literals are accepted: a host name would need a DNS lookup,
 * and its answer can change.
 */
public final class Networks {
  private static final Networks NONE = new Networks(Collections.emptyList(), "");

  private final List<Network> networks;
  private final String text;

  private Networks(List<Network> networks, String text) {
    this.networks = networks;
    this.text = text;
  }

  /** No network: nothing is contained. */
  public static Networks none() {
    return NONE;
  }

  /** Parses a comma-separated list; fails naming the key and the entry that is not a network. */
  static Networks parse(SettingValue v) {
    if (v.isBlank()) {
      return NONE;
    }
    List<Network> parsed = new ArrayList<>();
    for (String part : v.text().split(",")) {
      String entry = part.trim();
      if (entry.isEmpty()) {
        continue;
      }
      Network n = Network.parse(entry);
      if (n == null) {
        throw v.invalid(
            "'"
                + entry
                + "' is not a network; expected comma-separated IPv4 or IPv6 addresses or CIDR"
                + " networks, e.g. 10.0.0.0/8,192.168.1.7,fd00::/8");
      }
      parsed.add(n);
    }
    return new Networks(Collections.unmodifiableList(parsed), v.trimmed());
  }

  /** Parses an address literal (IPv4 or IPv6, brackets allowed); null when it is not one. */
  public static InetAddress literal(String text) {
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    if (!isLiteral(t)) {
      return null;
    }
    try {
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean isLiteral(String t) {
    if (t.isEmpty()) {
      return false;
    }
    if (t.indexOf(':') >= 0) {
      // IPv6: hex digits, colons, dots (an embedded IPv4), a %zone is refused.
      return t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }
    String[] octets = t.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String o : octets) {
      if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return true;
  }

  /** Whether no network is listed. */
  public boolean isEmpty() {
    return networks.isEmpty();
  }

  /** Whether {@code address} lies in one of the networks. */
  public boolean contains(InetAddress address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = address.getAddress();
    for (Network n : networks) {
      if (n.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }

  private static final class Network {
    final byte[] base;
    final int prefix;

    Network(byte[] base, int prefix) {
      this.base = base;
      this.prefix = prefix;
    }

    static Network parse(String entry) {
      int slash = entry.indexOf('/');
      String address = slash < 0 ? entry : entry.substring(0, slash);
      InetAddress a = literal(address);
      if (a == null) {
        return null;
      }
      byte[] bytes = a.getAddress();
      int max = bytes.length * 8;
      int prefix = max;
      if (slash >= 0) {
        String p = entry.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
          return null;
        }
        prefix = Integer.parseInt(p);
        if (prefix > max) {
          return null;
        }
      }
      return new Network(bytes, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != base.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != base[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (base[full] & mask);
    }
  }
}
