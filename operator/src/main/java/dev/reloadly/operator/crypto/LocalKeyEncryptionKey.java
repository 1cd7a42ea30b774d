package dev.reloadly.operator.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.AUTHENTICATION_FAILED;

/**
 * A 256-bit AES key-encryption key held in memory (loaded from the operator's KEK Secret). Wraps
 * with AES-256-GCM under a random 96-bit nonce: {@code nonce(12) || ciphertext || tag(16)}.
 */
public final class LocalKeyEncryptionKey implements KeyEncryptionKey {

    /** Local KEK ids are {@code local-} and 16 hex characters. */
    public static final String ID_PREFIX = "local-";
    private static final byte[] ID_LABEL = "reloadly-kek-id-v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;
    private final String keyId;
    private final SecureRandom random;

    private LocalKeyEncryptionKey(byte[] key, SecureRandom random) {
        this.key = key;
        this.random = Objects.requireNonNull(random, "random");
        this.keyId = deriveKeyId(key);
    }

    /** A new random KEK. Its nonces come from the same {@code random}. */
    public static LocalKeyEncryptionKey generate(SecureRandom random) {
        byte[] key = new byte[AesGcm.KEY_BYTES];
        random.nextBytes(key);
        return new LocalKeyEncryptionKey(key, random);
    }

    /** A KEK from 32 key bytes (copied; zero yours), drawing nonces from the system SecureRandom. */
    public static LocalKeyEncryptionKey of(byte[] key) {
        return of(key, SystemRandom.shared());
    }

    /** A KEK from 32 key bytes (copied; zero yours), drawing nonces from {@code random}. */
    public static LocalKeyEncryptionKey of(byte[] key, SecureRandom random) {
        Objects.requireNonNull(key, "key");
        if (key.length != AesGcm.KEY_BYTES) {
            throw new IllegalArgumentException("a local KEK must be " + AesGcm.KEY_BYTES + " bytes, not " + key.length);
        }
        return new LocalKeyEncryptionKey(key.clone(), random);
    }

    @Override
    public String keyId() {
        return keyId;
    }

    /**
     * Random nonces are safe here: each KEK wraps one data key per stored value and is rotated
     * every 30 days, many orders of magnitude below the 2^32 wraps a random 96-bit nonce allows.
     */
    @Override
    public byte[] wrap(byte[] dataKey, byte[] aad) {
        Objects.requireNonNull(dataKey, "dataKey");
        Objects.requireNonNull(aad, "aad");
        byte[] nonce = new byte[AesGcm.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = AesGcm.encrypt(key, nonce, aad, dataKey);
        byte[] out = new byte[nonce.length + sealed.length];
        System.arraycopy(nonce, 0, out, 0, nonce.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return out;
    }

    @Override
    public byte[] unwrap(byte[] wrapped, byte[] aad) {
        Objects.requireNonNull(wrapped, "wrapped");
        Objects.requireNonNull(aad, "aad");
        if (wrapped.length < AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES) {
            throw new StoreDecryptionException(AUTHENTICATION_FAILED, "wrapped data key is too short for KEK " + keyId);
        }
        byte[] nonce = Arrays.copyOf(wrapped, AesGcm.NONCE_BYTES);
        byte[] body = Arrays.copyOfRange(wrapped, AesGcm.NONCE_BYTES, wrapped.length);
        try {
            return AesGcm.decrypt(key, nonce, aad, body);
        } catch (AesGcm.AuthenticationFailedException e) {
            throw new StoreDecryptionException(AUTHENTICATION_FAILED,
                    "wrapped data key does not unwrap with KEK " + keyId + " for this associated data");
        }
    }

    /** A copy of the key bytes for serialization into the KEK Secret; the caller zeroes it. */
    byte[] keyCopy() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "LocalKeyEncryptionKey[" + keyId + "]";
    }

    /**
     * {@code local-} + hex of the first 8 bytes of HMAC-SHA256(key, "reloadly-kek-id-v1"). A PRF
     * output reveals nothing about the key, yet the id is stable and checkable on load, unlike a
     * random id that could drift away from its key in a hand-edited Secret.
     */
    static String deriveKeyId(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return ID_PREFIX + HexFormat.of().formatHex(mac.doFinal(ID_LABEL), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
        }
    }
}
