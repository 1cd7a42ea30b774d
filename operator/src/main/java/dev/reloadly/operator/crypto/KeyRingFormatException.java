package dev.reloadly.operator.crypto;

import java.util.Objects;

/**
 * Thrown when serialized key-ring bytes (sealing keys or KEKs) are not a valid ring. The message
 * names the field and the check that failed, never key material.
 */
public final class KeyRingFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the ring bytes were refused. */
    public enum Reason {
        /** Not JSON, not the expected shape, a missing or unexpected field, bad base64 or time. */
        MALFORMED,
        /** A well-formed document whose "format" names something this code does not read. */
        UNSUPPORTED_FORMAT,
        /** A key of the wrong length, or whose stored key id or public key does not match it. */
        INVALID_KEY,
        /** Two keys share a key id. */
        DUPLICATE_KEY_ID,
        /** A ring with no keys. */
        EMPTY
    }

    private final Reason reason;

    public KeyRingFormatException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
