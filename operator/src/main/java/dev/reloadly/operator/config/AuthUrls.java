package dev.reloadly.operator.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The rule for endpoints the operator sends credentials to: https, or plain http on loopback. */
public final class AuthUrls {
  private AuthUrls() {}

  public static void requireSecureOrLoopback(URI url) {
    if (url == null || url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException("Reloadly auth URL must be an absolute URL, got " + url);
    }
    String scheme = url.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && isLoopback(url.getHost())) {
      return;
    }
    throw new IllegalArgumentException(
        "Reloadly auth URL must use https (plain http only on loopback), got " + url);
  }

  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses: resolving a name here would let DNS decide whether we send a
    // secret in clear.
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
