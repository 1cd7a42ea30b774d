package dev.reloadly.operator.crypto;

import java.util.Base64;
import java.util.Optional;

/** Owns the "prefix + unpadded base64url" text form shared by sealed and envelope values. */
final class PrefixedBase64 {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PrefixedBase64() {
    }

    static String encode(String prefix, byte[] body) {
        return prefix + ENCODER.encodeToString(body);
    }

    /**
     * Decodes unpadded base64url, accepting only the one canonical spelling of the bytes. The JDK
     * decoder ignores non-zero trailing bits and tolerates padding, so two different strings could
     * otherwise decode to the same value; re-encoding and comparing closes that gap.
     */
    static Optional<byte[]> decodeCanonical(String text) {
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return ENCODER.encodeToString(bytes).equals(text) ? Optional.of(bytes) : Optional.empty();
    }
}
