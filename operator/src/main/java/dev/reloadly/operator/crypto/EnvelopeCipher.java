package dev.reloadly.operator.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.AUTHENTICATION_FAILED;
import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.UNKNOWN_KEK;

/**
 * Envelope encryption of store values: each value gets a fresh random AES-256 data key (DEK) and
 * nonce, the DEK is wrapped by the ring's active KEK, and both the value and the wrapped DEK are
 * bound to the caller's associated data. Every call is O(1): one random draw, one AES-GCM, one
 * wrap or unwrap; no KDF over the store and no key generation. Safe to share between threads.
 */
public final class EnvelopeCipher {

    /** Store values are credential versions: small. The cap stops a runaway caller, not users. */
    public static final int MAX_PLAINTEXT_BYTES = 512 * 1024;

    private final SecureRandom random;

    /** A cipher drawing data keys and nonces from the system's non-blocking SecureRandom. */
    public EnvelopeCipher() {
        this(SystemRandom.shared());
    }

    /** A cipher drawing each data key (32 bytes) and then its nonce (12 bytes) from {@code random}. */
    public EnvelopeCipher(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Encrypts under a data key used for this value only, wrapped by {@code ring.active()}. One
     * DEK per value means a (key, nonce) pair can never repeat, whatever the random nonce draws.
     */
    public EncryptedValue encrypt(byte[] plaintext, byte[] aad, KekRing ring) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(ring, "ring");
        if (plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("plaintext is longer than " + MAX_PLAINTEXT_BYTES + " bytes");
        }
        KeyEncryptionKey kek = ring.active();
        byte[] dataKey = new byte[AesGcm.KEY_BYTES];
        byte[] nonce = new byte[AesGcm.NONCE_BYTES];
        random.nextBytes(dataKey);
        random.nextBytes(nonce);
        try {
            byte[] ciphertext = AesGcm.encrypt(dataKey, nonce, aad, plaintext);
            return new EncryptedValue(kek.keyId(), kek.wrap(dataKey, aad), nonce, ciphertext);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Decrypts with whichever KEK of the ring the value names. The caller owns, and should zero,
     * the returned plaintext.
     *
     * @throws StoreDecryptionException UNKNOWN_KEK, AUTHENTICATION_FAILED (wrong aad, tampering) or
     *                                  KEK_UNAVAILABLE (a remote KEK could not be reached)
     */
    public byte[] decrypt(EncryptedValue value, byte[] aad, KekRing ring) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(aad, "aad");
        byte[] dataKey = unwrap(value, aad, ring);
        try {
            return AesGcm.decrypt(dataKey, value.nonce(), aad, value.ciphertext());
        } catch (AesGcm.AuthenticationFailedException e) {
            throw new StoreDecryptionException(AUTHENTICATION_FAILED,
                    "encrypted value does not decrypt for this associated data: wrong record or modified");
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Moves a value to the ring's active KEK by unwrapping its data key with the old KEK and
     * wrapping it with the active one. The ciphertext is untouched and the plaintext is never
     * materialized. A value already under the active KEK is returned as is, so a background rewrap
     * can be interrupted and restarted any number of times. After a suspected KEK compromise,
     * re-encrypt instead ({@link #reencrypt}), which also replaces the data key.
     */
    public EncryptedValue rewrap(EncryptedValue value, byte[] aad, KekRing ring) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(aad, "aad");
        KeyEncryptionKey active = ring.active();
        if (value.kekId().equals(active.keyId())) {
            return value;
        }
        byte[] dataKey = unwrap(value, aad, ring);
        try {
            return value.withWrappedKey(active.keyId(), active.wrap(dataKey, aad));
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Moves a value to the ring's active KEK under a new data key and nonce: the answer to a
     * suspected KEK compromise, where an attacker holding the old KEK and an old copy of the store
     * could otherwise unwrap the data key that {@link #rewrap} keeps. The plaintext exists only
     * for the duration of the call and is zeroed before it returns.
     *
     * @throws StoreDecryptionException as {@link #decrypt}
     */
    public EncryptedValue reencrypt(EncryptedValue value, byte[] aad, KekRing ring) {
        byte[] plaintext = decrypt(value, aad, ring);
        try {
            return encrypt(plaintext, aad, ring);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static byte[] unwrap(EncryptedValue value, byte[] aad, KekRing ring) {
        Objects.requireNonNull(ring, "ring");
        KeyEncryptionKey kek = ring.find(value.kekId()).orElseThrow(() -> new StoreDecryptionException(UNKNOWN_KEK,
                "encrypted value names KEK " + value.kekId() + ", which is not in the KEK ring"));
        byte[] dataKey = kek.unwrap(value.wrappedKey(), aad);
        if (dataKey.length != AesGcm.KEY_BYTES) {
            Arrays.fill(dataKey, (byte) 0);
            throw new StoreDecryptionException(AUTHENTICATION_FAILED,
                    "KEK " + value.kekId() + " returned a data key of the wrong length");
        }
        return dataKey;
    }
}
