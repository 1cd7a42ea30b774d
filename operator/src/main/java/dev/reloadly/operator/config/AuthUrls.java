package dev.reloadly.operator.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rule for endpoints the operator sends credentials to: https, or plain http on loopback. */
public final class AuthUrls {

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private AuthUrls() {}

  /**
   * Accepts an absolute https URL, or http to a loopback host; refuses anything else with one line.
   *
   * @throws IllegalArgumentException naming the problem; never echoes user info
   */
  public static void requireSecureOrLoopback(URI url) {
    if (url != null && url.getRawUserInfo() != null) {
      // Never echo the URL here: user info is exactly the part that may hold a password.
      throw new IllegalArgumentException("Reloadly auth URL must not contain user info (user:password@)");
    }
    String scheme = url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (url == null || url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("Reloadly auth URL must be an absolute https URL, got " + url);
    }
    if (scheme.equals("http") && !isLoopback(url.getHost())) {
      throw new IllegalArgumentException(
          "Reloadly auth URL must use https (plain http only on loopback), got " + url);
    }
  }

  /** True for localhost, 127.0.0.0/8 and ::1. */
  private static boolean isLoopback(String host) {
    String bare = host.toLowerCase(Locale.ROOT);
    if (bare.startsWith("[") && bare.endsWith("]")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    if (bare.equals("localhost")) {
      return true;
    }
    // Only literal addresses: resolving a name here would let DNS decide whether we send a
    // secret in clear.
    if (!IPV4_LITERAL.matcher(bare).matches() && !bare.contains(":")) {
      return false;
    }
    try {
      // getByName does not consult DNS for IP literals, which is all that reaches this line.
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException notALiteral) {
      return false;
    }
  }
}
