package dev.reloadly.operator.crypto;

import java.util.Objects;

/**
 * Thrown when an envelope-encrypted store value cannot be parsed, unwrapped or decrypted. The
 * message names the cause (which check failed, which KEK id) but never key material or plaintext.
 */
public final class StoreDecryptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a stored value could not be read. */
    public enum Reason {
        /** Not an encrypted value: empty, wrong prefix, bad base64, truncated or impossible lengths. */
        MALFORMED,
        /** An encrypted value from a format version this code does not read. */
        UNSUPPORTED_VERSION,
        /** Encrypted under a KEK id the ring does not hold (retired too early, or wrong ring). */
        UNKNOWN_KEK,
        /** Did not decrypt: wrong associated data, wrong KEK, or any tampering. */
        AUTHENTICATION_FAILED,
        /**
         * The KEK exists but could not be used right now (a KMS or Vault call failed). Retry later;
         * unlike the other reasons this says nothing about the stored value being bad.
         */
        KEK_UNAVAILABLE
    }

    private final Reason reason;

    public StoreDecryptionException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
