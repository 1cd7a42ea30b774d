package dev.reloadly.operator.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Owns the length-prefixed encoding that turns a domain tag and fields into associated data. */
final class CanonicalFields {

    private static final int MAX_FIELD_BYTES = 0xFFFF;

    private CanonicalFields() {
    }

    /**
     * Encodes {@code u16 length || UTF-8 bytes} for the tag and then each field. The tag fixes
     * the number and meaning of the fields, and every field carries its own length, so two
     * different field lists can never produce the same bytes (no "a|bc" vs "ab|c" ambiguity).
     */
    static byte[] encode(String domainTag, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, domainTag, "domain tag");
        for (int i = 0; i < fields.length; i++) {
            write(out, fields[i], "field " + i);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String value, String what) {
        byte[] bytes = strictUtf8(value, what);
        if (bytes.length > MAX_FIELD_BYTES) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_FIELD_BYTES + " bytes");
        }
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    // String.getBytes would silently turn an unpaired surrogate into '?', letting two distinct
    // strings share an encoding; a reporting encoder refuses instead.
    private static byte[] strictUtf8(String value, String what) {
        try {
            ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode text");
        }
    }
}
