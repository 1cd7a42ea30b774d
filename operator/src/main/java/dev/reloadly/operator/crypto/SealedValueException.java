package dev.reloadly.operator.crypto;

import java.util.Objects;

/**
 * Thrown when a sealed value cannot be parsed or opened. The message names the cause (which
 * check failed, which key id) but never the sealed bytes or anything decrypted.
 */
public final class SealedValueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a sealed value was refused. */
    public enum Reason {
        /** Not a sealed value: empty, wrong prefix, bad base64, truncated or impossible lengths. */
        MALFORMED,
        /** A sealed value from a format version this code does not read. */
        UNSUPPORTED_VERSION,
        /** A sealed value naming an HPKE suite other than the one format v1 allows. */
        UNSUPPORTED_SUITE,
        /** Sealed for a key id the ring does not hold, or holds only the public half of. */
        UNKNOWN_KEY,
        /** Did not decrypt: wrong scope, wrong key, or any tampering with enc, ciphertext or tag. */
        AUTHENTICATION_FAILED
    }

    private final Reason reason;

    public SealedValueException(Reason reason, String message) {
        // No stack trace suppression: these are rare and the trace helps; no cause is ever
        // attached because parser and provider exceptions can quote input bytes.
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
