package dev.reloadly.operator.fuzz;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Byte- and text-level mutations of a well-formed value ({@code prefix + base64url(body)}): bit
 * flips, truncation, extension, overwritten bytes, a changed prefix or alphabet, garbage and huge
 * text. The same mutation applies to any body, so one generator serves sealed and envelope values.
 */
final class Mutations {
  /** A plaintext every failure message is searched for. */
  static final String CANARY = "CANARY-s3cr3t-7f1e";

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

  private Mutations() {}

  /** A named change of a text value; its name is what a failing sample shows. */
  record Mutation(String name, UnaryOperator<String> change) {
    String applyTo(String text) {
      return change.apply(text);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Randomness for key generation and sealing that repeats run after run: SHA1PRNG seeded before
   * its first use is deterministic, so the values being mutated are the same every time.
   */
  static SecureRandom deterministicRandom(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mutations of {@code prefix + base64url(body)} text. */
  static Arbitrary<Mutation> of(String prefix) {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 4095);
    Arbitrary<Integer> bit = Arbitraries.integers().between(0, 7);
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
    return Arbitraries.frequencyOf(
        Tuple.of(6, Combinators.combine(position, bit).as((p, b) -> body(prefix,
            "flip bit " + b + " of byte " + p, body -> {
              byte[] out = body.clone();
              out[p % out.length] ^= (byte) (1 << b);
              return out;
            }))),
        Tuple.of(3, Combinators.combine(position, position, bit).as((p, q, b) -> body(prefix,
            "flip bits at bytes " + p + " and " + q, body -> {
              byte[] out = body.clone();
              out[p % out.length] ^= (byte) (1 << b);
              out[q % out.length] ^= (byte) (0x80 >>> b);
              return out;
            }))),
        Tuple.of(3, Combinators.combine(position, Arbitraries.integers().between(0, 255))
            .as((p, v) -> body(prefix, "set byte " + p + " to " + v, body -> {
              byte[] out = body.clone();
              out[p % out.length] = (byte) (int) v;
              return out;
            }))),
        Tuple.of(4, position.map(n -> body(prefix, "truncate to " + n + " bytes",
            body -> Arrays.copyOf(body, Math.min(n, body.length))))),
        Tuple.of(2, Arbitraries.integers().between(1, 20).map(n -> body(prefix,
            "drop the last " + n + " bytes",
            body -> Arrays.copyOf(body, Math.max(0, body.length - n))))),
        Tuple.of(3, bytes.map(extra -> body(prefix, "append " + extra.length + " bytes",
            body -> concat(body, extra)))),
        Tuple.of(2, Combinators.combine(position, bytes).as((p, extra) -> body(prefix,
            "insert " + extra.length + " bytes at " + p, body -> {
              int at = p % (body.length + 1);
              return concat(concat(Arrays.copyOf(body, at), extra),
                  Arrays.copyOfRange(body, at, body.length));
            }))),
        Tuple.of(2, bytes.map(random -> new Mutation("random body of " + random.length + " bytes",
            text -> prefix + URL.encodeToString(random)))),
        Tuple.of(3, Arbitraries.of(
            new Mutation("prefix v2", text -> text.replace(prefix, prefix.replace(":v1:", ":v2:"))),
            new Mutation("prefix v0", text -> text.replace(prefix, prefix.replace(":v1:", ":v0:"))),
            new Mutation("prefix v999999999999",
                text -> text.replace(prefix, prefix.replace(":v1:", ":v999999999999:"))),
            new Mutation("prefix in capitals", text -> text.replace(prefix,
                prefix.toUpperCase(java.util.Locale.ROOT))),
            new Mutation("no prefix", text -> text.substring(prefix.length())),
            new Mutation("prefix twice", text -> prefix + text),
            new Mutation("other family's prefix", text -> text.replace(prefix,
                prefix.startsWith("rlenv") ? "rlsealed:v1:" : "rlenv:v1:")),
            new Mutation("padded base64", text -> text + "=="),
            new Mutation("standard alphabet", text -> text.replace('-', '+').replace('_', '/')),
            new Mutation("line break inside", text -> text.substring(0, text.length() / 2) + "\n"
                + text.substring(text.length() / 2)),
            new Mutation("surrounding whitespace (accepted)", text -> "\n  " + text + " \n"),
            new Mutation("empty", text -> ""),
            new Mutation("blank", text -> " \t "),
            new Mutation("only the prefix", text -> prefix),
            new Mutation("last character changed", text -> text.substring(0, text.length() - 1)
                + (text.endsWith("A") ? "B" : "A")),
            new Mutation("huge", text -> prefix + "A".repeat(1024 * 1024 + 16)),
            new Mutation("canary in clear", text -> prefix + CANARY),
            new Mutation("canary as the body", text -> prefix + URL.encodeToString(
                CANARY.getBytes(java.nio.charset.StandardCharsets.UTF_8))))),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(80).map(garbage ->
            new Mutation("garbage text " + garbage.length() + " chars", text -> garbage))),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20).map(garbage ->
            new Mutation("garbage after the prefix", text -> prefix + garbage))));
  }

  private static Mutation body(String prefix, String name, UnaryOperator<byte[]> change) {
    return new Mutation(name, text -> {
      byte[] body = URL_DECODER.decode(text.substring(prefix.length()));
      return prefix + URL.encodeToString(change.apply(body));
    });
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The body of a well-formed value; equal bodies mean the mutation changed nothing that counts. */
  static byte[] bodyOf(String prefix, String text) {
    String stripped = text.strip();
    if (!stripped.startsWith(prefix)) {
      return null;
    }
    try {
      return URL_DECODER.decode(stripped.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
