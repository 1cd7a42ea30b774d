package dev.reloadly.operator.reliability;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every spelling in which a secret value may leave the operator: in clear, in base64 (standard and
 * URL-safe, with and without padding, and the part of it that stays the same wherever the value
 * sits inside a longer encoded text) and URL-encoded. Pure: a value in, spellings out.
 */
final class CanarySpellings {
  private static final Pattern PERCENT_HEX = Pattern.compile("%[0-9A-F]{2}");

  private CanarySpellings() {}

  /**
   * Spelling name to text, without duplicates (a name is kept for the first of equal texts).
   *
   * <p>A value encoded as part of a longer text starts at byte offset 0, 1 or 2 of a base64
   * group, and each offset gives other characters. {@code base64@k} is what every encoding with
   * the value at offset {@code k} contains: the characters made of the value's bits alone.
   */
  static Map<String, String> of(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("clear", value);
    all.put("base64", Base64.getEncoder().encodeToString(utf8));
    all.put("base64 unpadded", Base64.getEncoder().withoutPadding().encodeToString(utf8));
    all.put("base64url", Base64.getUrlEncoder().encodeToString(utf8));
    all.put("base64url unpadded", Base64.getUrlEncoder().withoutPadding().encodeToString(utf8));
    for (int offset = 0; offset < 3; offset++) {
      all.put("base64@" + offset, aligned(Base64.getEncoder(), utf8, offset));
      all.put("base64url@" + offset, aligned(Base64.getUrlEncoder(), utf8, offset));
    }
    String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
    all.put("URL-encoded", form);
    all.put("URL-encoded %20", form.replace("+", "%20"));
    all.put("URL-encoded lower-case hex", lowerHex(form));
    Map<String, String> distinct = new LinkedHashMap<>();
    all.forEach((name, text) -> {
      if (!text.isEmpty() && !distinct.containsValue(text)) {
        distinct.put(name, text);
      }
    });
    return distinct;
  }

  /**
   * The base64 characters of {@code value} placed {@code offset} bytes into a 3-byte group: those
   * whose 6 bits all come from the value, whatever bytes surround it.
   */
  static String aligned(Base64.Encoder encoder, byte[] value, int offset) {
    byte[] shifted = new byte[offset + value.length];
    System.arraycopy(value, 0, shifted, offset, value.length);
    String encoded = encoder.withoutPadding().encodeToString(shifted);
    int startBit = 8 * offset;
    int endBit = 8 * (offset + value.length);
    int first = (startBit + 5) / 6;
    int last = endBit / 6;
    return first >= last ? "" : encoded.substring(first, last);
  }

  private static String lowerHex(String form) {
    Matcher m = PERCENT_HEX.matcher(form);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, m.group().toLowerCase(Locale.ROOT));
    }
    m.appendTail(out);
    return out.toString();
  }
}
