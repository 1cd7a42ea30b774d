package dev.reloadly.operator.crypto;

/**
 * A key-encryption key (KEK): wraps and unwraps the per-value data keys of the envelope store.
 * {@link LocalKeyEncryptionKey} holds the key in memory; {@code kms.KmsKek} holds such a key too,
 * persisted only as ciphertext of a KMS v2 plugin (see docs/crypto.md). Implementations must be
 * thread-safe.
 */
public interface KeyEncryptionKey {

    /**
     * A stable id written next to every value this KEK wraps, so decryption finds the KEK again:
     * 1 to 255 printable ASCII characters, no spaces (a KMS key ARN fits).
     */
    String keyId();

    /**
     * Encrypts a data key, binding it to {@code aad}. Must be randomized or otherwise safe to call
     * any number of times with the same inputs.
     *
     * @return the wrapped key, at most 65535 bytes
     * @throws KekUnavailableException if a KEK backed by a remote service must not be used for new
     *                                 data right now (the service is down); retry later
     */
    byte[] wrap(byte[] dataKey, byte[] aad);

    /**
     * Decrypts a data key wrapped by {@link #wrap} with the same {@code aad}.
     *
     * @throws StoreDecryptionException AUTHENTICATION_FAILED if {@code wrapped} or {@code aad} is
     *                                  not what was wrapped; KEK_UNAVAILABLE if a remote KEK could
     *                                  not be reached and the call may succeed later
     */
    byte[] unwrap(byte[] wrapped, byte[] aad);
}
