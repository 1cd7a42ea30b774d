package dev.reloadly.operator.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Conversions between Secret data (base64 strings) and wipeable char arrays. */
public final class SecretBytes {
  private SecretBytes() {}

  /** Decodes a Secret data value to chars; invalid base64 or UTF-8 yields null. */
  public static char[] decodeToChars(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      return utf8ToChars(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Strict UTF-8 decode into a fresh char array; null when the bytes are not UTF-8. */
  public static char[] utf8ToChars(byte[] bytes) {
    try {
      CharBuffer buffer = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      char[] chars = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
      Arrays.fill(buffer.array(), '\0');
      return chars;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  public static byte[] charsToUtf8(char[] chars) {
    ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    Arrays.fill(buffer.array(), (byte) 0);
    return bytes;
  }

  /**
   * Base64 of the UTF-8 of {@code chars}, for a Secret's data map. The Kubernetes model holds data
   * as Strings, so this is the one place a secret becomes an (encoded) String; it lives only until
   * the write is sent.
   */
  public static String encode(char[] chars) {
    byte[] bytes = charsToUtf8(chars);
    try {
      return Base64.getEncoder().encodeToString(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  public static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
