package dev.reloadly.operator.logging;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The spellings a secret can have in a log line: as is, base64 (standard and URL-safe, with and
 * without padding), URL-encoded, JSON-escaped, and as SLF4J prints a {@code char[]} or
 * {@code byte[]} argument. Every array returned is the caller's to wipe.
 */
final class SecretForms {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SecretForms() {}

  /** The forms of a text secret; the clear form first. {@code value} is not modified. */
  static List<char[]> ofText(char[] value) {
    List<char[]> forms = new ArrayList<>();
    forms.add(value.clone());
    char[] stripped = strip(value);
    if (stripped != null) {
      // A value read from a file often ends in a newline that nobody logs.
      forms.add(stripped);
    }
    byte[] utf8 = utf8(value);
    try {
      addBase64(forms, utf8);
      forms.add(percentEncoded(utf8, false));
      forms.add(percentEncoded(utf8, true));
      forms.add(jsonEscaped(value));
      forms.add(arrayRendering(value));
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
    return forms;
  }

  /** The forms of binary key material: base64, hex and SLF4J's rendering of a byte[]. */
  static List<char[]> ofBytes(byte[] value) {
    List<char[]> forms = new ArrayList<>();
    addBase64(forms, value);
    char[] hex = new char[value.length * 2];
    for (int i = 0; i < value.length; i++) {
      hex[2 * i] = HEX[(value[i] >> 4) & 0xF];
      hex[2 * i + 1] = HEX[value[i] & 0xF];
    }
    forms.add(hex);
    char[] lower = hex.clone();
    for (int i = 0; i < lower.length; i++) {
      lower[i] = Character.toLowerCase(lower[i]);
    }
    forms.add(lower);
    StringBuilder rendering = new StringBuilder(value.length * 5);
    rendering.append('[');
    for (int i = 0; i < value.length; i++) {
      rendering.append(i == 0 ? "" : ", ").append(value[i]);
    }
    forms.add(drain(rendering.append(']')));
    return forms;
  }

  private static void addBase64(List<char[]> forms, byte[] bytes) {
    for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      byte[] padded = encoder.encode(bytes);
      char[] chars = new char[padded.length];
      for (int i = 0; i < padded.length; i++) {
        chars[i] = (char) padded[i];
      }
      Arrays.fill(padded, (byte) 0);
      forms.add(chars);
      int unpadded = chars.length;
      while (unpadded > 0 && chars[unpadded - 1] == '=') {
        unpadded--;
      }
      if (unpadded < chars.length) {
        forms.add(Arrays.copyOf(chars, unpadded));
      }
    }
  }

  /** application/x-www-form-urlencoded ({@code plusForSpace}) or RFC 3986 percent-encoding. */
  private static char[] percentEncoded(byte[] utf8, boolean plusForSpace) {
    StringBuilder out = new StringBuilder(utf8.length * 3);
    for (byte b : utf8) {
      char c = (char) (b & 0xFF);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '_' || c == '.' || (c == '*' && plusForSpace)
          || (c == '~' && !plusForSpace)) {
        out.append(c);
      } else if (c == ' ' && plusForSpace) {
        out.append('+');
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
      }
    }
    return drain(out);
  }

  private static char[] jsonEscaped(char[] value) {
    StringBuilder out = new StringBuilder(value.length + 8);
    for (char c : value) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return drain(out);
  }

  /** How SLF4J formats a char[] argument: [s, e, c, r, e, t]. */
  private static char[] arrayRendering(char[] value) {
    StringBuilder out = new StringBuilder(value.length * 3 + 2);
    out.append('[');
    for (int i = 0; i < value.length; i++) {
      out.append(i == 0 ? "" : ", ").append(value[i]);
    }
    return drain(out.append(']'));
  }

  private static char[] strip(char[] value) {
    int start = 0;
    int end = value.length;
    while (start < end && Character.isWhitespace(value[start])) {
      start++;
    }
    while (end > start && Character.isWhitespace(value[end - 1])) {
      end--;
    }
    return start == 0 && end == value.length ? null : Arrays.copyOfRange(value, start, end);
  }

  private static byte[] utf8(char[] value) {
    ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
    byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    Arrays.fill(buffer.array(), (byte) 0);
    return bytes;
  }

  /** The builder's characters as an array; the builder is overwritten and emptied. */
  private static char[] drain(StringBuilder builder) {
    char[] chars = new char[builder.length()];
    builder.getChars(0, chars.length, chars, 0);
    for (int i = 0; i < builder.length(); i++) {
      builder.setCharAt(i, '\0');
    }
    builder.setLength(0);
    return chars;
  }
}
