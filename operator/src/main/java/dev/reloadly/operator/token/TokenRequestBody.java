package dev.reloadly.operator.token;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds the client-credentials JSON body as wipeable bytes, never as a String holding the secret. */
final class TokenRequestBody {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TokenRequestBody() {}

  /** UTF-8 JSON; the caller sends it and then wipes it with {@code Arrays.fill(body, (byte) 0)}. */
  static byte[] encode(char[] clientId, char[] clientSecret, String audience) {
    char[] json = new char[jsonLength(clientId, clientSecret, audience.toCharArray())];
    int at = 0;
    at = append(json, at, "{\"client_id\":\"");
    at = appendEscaped(json, at, clientId);
    at = append(json, at, "\",\"client_secret\":\"");
    at = appendEscaped(json, at, clientSecret);
    at = append(json, at, "\",\"grant_type\":\"client_credentials\",\"audience\":\"");
    at = appendEscaped(json, at, audience.toCharArray());
    append(json, at, "\"}");
    try {
      return toUtf8(json);
    } finally {
      Arrays.fill(json, '\0');
    }
  }

  private static int jsonLength(char[] clientId, char[] clientSecret, char[] audience) {
    return "{\"client_id\":\"".length() + escapedLength(clientId)
        + "\",\"client_secret\":\"".length() + escapedLength(clientSecret)
        + "\",\"grant_type\":\"client_credentials\",\"audience\":\"".length() + escapedLength(audience)
        + "\"}".length();
  }

  private static int escapedLength(char[] value) {
    int length = 0;
    for (char c : value) {
      length += c == '"' || c == '\\' ? 2 : c < 0x20 ? 6 : 1;
    }
    return length;
  }

  private static int append(char[] out, int at, String literal) {
    literal.getChars(0, literal.length(), out, at);
    return at + literal.length();
  }

  private static int appendEscaped(char[] out, int at, char[] value) {
    for (char c : value) {
      if (c == '"' || c == '\\') {
        out[at++] = '\\';
        out[at++] = c;
      } else if (c < 0x20) {
        out[at++] = '\\';
        out[at++] = 'u';
        out[at++] = '0';
        out[at++] = '0';
        out[at++] = HEX[c >> 4];
        out[at++] = HEX[c & 0xf];
      } else {
        out[at++] = c;
      }
    }
    return at;
  }

  private static byte[] toUtf8(char[] json) {
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    ByteBuffer encoded;
    try {
      encoded = encoder.encode(CharBuffer.wrap(json));
    } catch (CharacterCodingException cannotHappenWithReplace) {
      throw new IllegalStateException("UTF-8 encoding failed");
    }
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    // The encoder's buffer is usually larger than its content; wipe the whole backing array.
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return bytes;
  }
}
