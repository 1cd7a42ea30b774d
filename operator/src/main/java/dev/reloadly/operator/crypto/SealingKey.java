package dev.reloadly.operator.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * One X25519 sealing key pair, or only its public half, with the key id derived from the public
 * key and the time it was created.
 */
public final class SealingKey {

    private final String keyId;
    private final Instant createdAt;
    private final byte[] publicKey;
    private final byte[] privateKey; // null for a public-only copy

    private SealingKey(Instant createdAt, byte[] publicKey, byte[] privateKey) {
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.publicKey = publicKey;
        this.privateKey = privateKey;
        this.keyId = keyIdOf(publicKey);
    }

    /**
     * Generates a key pair from 32 fresh bytes of {@code random} through RFC 9180 DeriveKeyPair,
     * the same path the RFC's test vectors take, so a test can reproduce a key from its seed.
     */
    public static SealingKey generate(Instant createdAt, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] ikm = new byte[HpkeSuite.IKM_BYTES];
        random.nextBytes(ikm);
        try {
            AsymmetricCipherKeyPair pair = HpkeSuite.newHpke().deriveKeyPair(ikm);
            return new SealingKey(createdAt,
                    ((X25519PublicKeyParameters) pair.getPublic()).getEncoded(),
                    ((X25519PrivateKeyParameters) pair.getPrivate()).getEncoded());
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /** A full key pair from the 32-byte X25519 private key; the public key is recomputed. Copies the input. */
    public static SealingKey fromPrivateKey(byte[] privateKey, Instant createdAt) {
        requireKeyLength(privateKey, "private key");
        byte[] copy = privateKey.clone();
        byte[] publicKey = new X25519PrivateKeyParameters(copy).generatePublicKey().getEncoded();
        return new SealingKey(createdAt, publicKey, copy);
    }

    /** A public-only key from the 32-byte X25519 public key: it can seal but not open. Copies the input. */
    public static SealingKey fromPublicKey(byte[] publicKey, Instant createdAt) {
        requireKeyLength(publicKey, "public key");
        return new SealingKey(createdAt, publicKey.clone(), null);
    }

    /**
     * The key id for a public key: the first 8 bytes of SHA-256(publicKey) as 16 lower-case hex
     * characters. Stable across serialization and reproducible with sha256sum.
     */
    public static String keyIdOf(byte[] publicKey) {
        requireKeyLength(publicKey, "public key");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
        }
    }

    public String keyId() {
        return keyId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** A copy of the 32-byte X25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public boolean hasPrivateKey() {
        return privateKey != null;
    }

    /** This key without its private half, safe to publish. */
    public SealingKey publicOnly() {
        return privateKey == null ? this : new SealingKey(createdAt, publicKey, null);
    }

    /** A copy of the private key for serialization into the key Secret; the caller zeroes it. */
    byte[] privateKeyCopy() {
        if (privateKey == null) {
            throw new IllegalStateException("sealing key " + keyId + " has no private key");
        }
        return privateKey.clone();
    }

    /** The BC key pair for HPKE; only called when {@link #hasPrivateKey()} is true. */
    AsymmetricCipherKeyPair keyPair() {
        if (privateKey == null) {
            throw new IllegalStateException("sealing key " + keyId + " has no private key");
        }
        // BC copies the bytes into its own parameter object, so no extra copy is left to zero.
        return new AsymmetricCipherKeyPair(new X25519PublicKeyParameters(publicKey),
                new X25519PrivateKeyParameters(privateKey));
    }

    X25519PublicKeyParameters publicKeyParameters() {
        return new X25519PublicKeyParameters(publicKey);
    }

    @Override
    public String toString() {
        return "SealingKey[keyId=" + keyId + ", createdAt=" + createdAt
                + (privateKey == null ? ", publicOnly" : "") + "]";
    }

    private static void requireKeyLength(byte[] key, String what) {
        Objects.requireNonNull(key, what);
        if (key.length != HpkeSuite.KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be " + HpkeSuite.KEY_BYTES + " bytes, not " + key.length);
        }
    }
}
