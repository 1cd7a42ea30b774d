package dev.reloadly.operator.token;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Owns the rule that credentials only travel over https, except to loopback simulators. */
final class EndpointSecurity {

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private EndpointSecurity() {}

  /**
   * Returns {@code uri} when it is an absolute https URL, or http to a loopback host.
   *
   * @param role what the URL is for, used in the error message (e.g. "Reloadly auth URL")
   * @throws IllegalArgumentException with one line naming the problem
   */
  static URI requireHttpsUnlessLoopback(URI uri, String role) {
    if (uri == null) {
      throw new IllegalArgumentException(role + " is missing");
    }
    if (uri.getRawUserInfo() != null) {
      // Never echo the URL here: user info is exactly the part that may hold a password.
      throw new IllegalArgumentException(role + " must not contain user info (user:password@)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException(role + " must be an absolute https URL, got \"" + uri + "\"");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(role + " must use https (got \"" + uri
          + "\"); plain http is only allowed for loopback hosts such as 127.0.0.1, ::1 or localhost");
    }
    return uri;
  }

  /**
   * True for localhost, 127.0.0.0/8 and ::1. Only literals count: resolving a name through DNS
   * could let an attacker-controlled record turn "plain http to loopback" into plain http anywhere.
   */
  static boolean isLoopback(String host) {
    String bare = host.toLowerCase(Locale.ROOT);
    if (bare.startsWith("[") && bare.endsWith("]")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    if (bare.equals("localhost") || bare.equals("localhost.")) {
      return true;
    }
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
