package dev.reloadly.operator.crypto;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** Owns the "prefix + unpadded base64url" text form shared by sealed and envelope values. */
final class PrefixedBase64 {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PrefixedBase64() {
    }

    /** Why a text form was refused; each caller raises its own exception type for it. */
    enum Refusal { MALFORMED, UNSUPPORTED_VERSION }

    /** Turns a refusal into the caller's exception. */
    @FunctionalInterface
    interface Refuse {
        RuntimeException with(Refusal refusal, String message);
    }

    /**
     * The body bytes of {@code text} in the form {@code prefix + base64url}, e.g. "rlenv:v1:...".
     * Surrounding whitespace is ignored; empty, oversized, other-version, wrongly prefixed or
     * non-canonical text is refused with a message naming {@code what} (never the value).
     *
     * @param notWhat how the message says the text is of another kind, e.g. "not a sealed value"
     */
    static byte[] decodeBody(String text, String prefix, int maxLength, String what,
            String notWhat, Refuse refuse) {
        if (text == null || text.isBlank()) {
            throw refuse.with(Refusal.MALFORMED, what + " is empty");
        }
        String stripped = text.strip();
        if (stripped.length() > maxLength) {
            throw refuse.with(Refusal.MALFORMED, what + " is longer than " + maxLength + " characters");
        }
        if (!stripped.startsWith(prefix)) {
            String family = prefix.substring(0, prefix.lastIndexOf(":v") + 2);
            if (Pattern.compile(Pattern.quote(family) + "[0-9]+:.*", Pattern.DOTALL).matcher(stripped).matches()) {
                throw refuse.with(Refusal.UNSUPPORTED_VERSION, what + " uses a text format version other than v1");
            }
            throw refuse.with(Refusal.MALFORMED, notWhat + ": it does not start with \"" + prefix + "\"");
        }
        return decodeCanonical(stripped.substring(prefix.length()))
                .orElseThrow(() -> refuse.with(Refusal.MALFORMED, what + " body is not canonical unpadded base64url"));
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
