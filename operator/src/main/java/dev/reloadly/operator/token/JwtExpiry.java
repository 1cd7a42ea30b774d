package dev.reloadly.operator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/** Reads the {@code exp} claim of a JWT access token; the signature is Reloadly's to check, not ours. */
public final class JwtExpiry {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JwtExpiry() {}

  /** The token's {@code exp} as an instant, or empty when the token is not a JWT with a numeric exp. */
  public static Optional<Instant> readExp(char[] token) {
    if (token == null) {
      return Optional.empty();
    }
    int firstDot = indexOf(token, '.', 0);
    int secondDot = firstDot < 0 ? -1 : indexOf(token, '.', firstDot + 1);
    if (firstDot <= 0 || secondDot < 0 || indexOf(token, '.', secondDot + 1) >= 0) {
      return Optional.empty();
    }
    // Copy only the payload segment, never the signature, and never through a String.
    byte[] encoded = new byte[secondDot - firstDot - 1];
    for (int i = 0; i < encoded.length; i++) {
      char c = token[firstDot + 1 + i];
      if (c > 0x7f) {
        return Optional.empty();
      }
      encoded[i] = (byte) c;
    }
    byte[] payload = null;
    try {
      payload = Base64.getUrlDecoder().decode(encoded);
      JsonNode exp = JSON.readTree(payload).path("exp");
      if (!exp.isNumber()) {
        return Optional.empty();
      }
      return Optional.of(Instant.ofEpochSecond(exp.asLong()));
    } catch (IllegalArgumentException | IOException | java.time.DateTimeException malformed) {
      return Optional.empty();
    } finally {
      Arrays.fill(encoded, (byte) 0);
      if (payload != null) {
        Arrays.fill(payload, (byte) 0);
      }
    }
  }

  private static int indexOf(char[] chars, char wanted, int from) {
    for (int i = from; i < chars.length; i++) {
      if (chars[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
