package dev.reloadly.operator.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv4 or IPv6 CIDR as spec.egress.allowlistedIPs holds them, and whether it holds an IP. */
public record Cidr(byte[] network, int prefix, String text) {

  /** @throws IllegalArgumentException naming the value when it is not a CIDR */
  public static Cidr parse(String text) {
    if (text == null) {
      // A null list entry (no schema to refuse it) must read as a bad value, not crash.
      throw new IllegalArgumentException("an empty entry is not a CIDR");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + text + "' is not a CIDR (address/prefix)");
    }
    byte[] address = literal(text.substring(0, slash)).orElseThrow(() ->
        new IllegalArgumentException("'" + text + "' is not a CIDR: bad address"));
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a CIDR: bad prefix");
    }
    if (prefix < 0 || prefix > address.length * 8) {
      throw new IllegalArgumentException("'" + text + "' is not a CIDR: prefix out of range");
    }
    return new Cidr(address, prefix, text);
  }

  /** Whether {@code ip} (a literal address) lies inside this CIDR; false for anything else. */
  public boolean contains(String ip) {
    Optional<byte[]> address = literal(ip);
    if (address.isEmpty() || address.get().length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((address.get()[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The bytes of an IP literal, never a DNS lookup: only digits, dots, hex and colons pass to
   * {@link InetAddress#getByName}, which resolves nothing for a literal.
   */
  static Optional<byte[]> literal(String ip) {
    if (ip == null || ip.isEmpty() || !ip.matches("[0-9a-fA-F:.]+")
        || !(ip.contains(":") || ip.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(ip).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
