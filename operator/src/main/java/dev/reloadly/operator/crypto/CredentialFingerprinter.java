package dev.reloadly.operator.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Keyed fingerprints of a (clientId, clientSecret) pair, for telling credential versions apart in
 * status and logs. HMAC-SHA256 under an operator-held key, never a plain hash: a plain hash of a
 * secret can be brute-forced or matched offline by anyone who reads the status.
 */
public final class CredentialFingerprinter {

    /** Every fingerprint starts with this, then 32 lower-case hex characters (128 bits). */
    public static final String PREFIX = "hmac-sha256:";
    public static final int MIN_KEY_BYTES = 32;
    private static final int FINGERPRINT_BYTES = 16;
    private static final byte[] DOMAIN_TAG = "reloadly-fingerprint-v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;

    /** A fingerprinter under {@code key} (at least 32 bytes; copied, so zero yours). */
    public CredentialFingerprinter(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("fingerprint key must be at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** A new random 32-byte fingerprint key, for the caller to store in the operator's key Secret. */
    public static byte[] generateKey(SecureRandom random) {
        byte[] key = new byte[MIN_KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    /** The fingerprint of UTF-8 client id and secret bytes. The inputs are not modified. */
    public String fingerprint(byte[] clientId, byte[] clientSecret) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Mac mac = newMac();
        // Length prefixes make the input canonical: ("ab","c") and ("a","bc") differ.
        mac.update(DOMAIN_TAG);
        mac.update(ByteBuffer.allocate(4).putInt(clientId.length).array());
        mac.update(clientId);
        mac.update(ByteBuffer.allocate(4).putInt(clientSecret.length).array());
        mac.update(clientSecret);
        byte[] tag = mac.doFinal();
        return PREFIX + HexFormat.of().formatHex(tag, 0, FINGERPRINT_BYTES);
    }

    /** The fingerprint of a client id and secret held as characters; same result as their UTF-8 bytes. */
    public String fingerprint(char[] clientId, char[] clientSecret) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        byte[] id = utf8(clientId, "clientId");
        byte[] secret = null;
        try {
            secret = utf8(clientSecret, "clientSecret");
            return fingerprint(id, secret);
        } finally {
            Arrays.fill(id, (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /**
     * A key derived from the fingerprint key for another purpose, named by {@code info}
     * (HKDF-SHA256, RFC 5869, no salt): the store MAC key, say, without a second key to keep.
     * The caller zeroes the result.
     */
    byte[] deriveKey(byte[] info, int length) {
        byte[] ikm = key.getEncoded();
        try {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(ikm, null, info));
            byte[] out = new byte[length];
            hkdf.generateBytes(out, 0, length);
            return out;
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /**
     * Compares two fingerprints in time independent of where they differ, so comparing a stored
     * fingerprint against candidates leaks nothing through timing. Null is never equal.
     */
    public static boolean sameFingerprint(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** How many hex characters {@link #shortForm} keeps: enough to tell versions apart by eye. */
    public static final int SHORT_HEX = 12;

    /**
     * The first {@value #SHORT_HEX} hex characters of a fingerprint, without its prefix, as
     * {@code kubectl get} and the demo show a version; null for null.
     */
    public static String shortForm(String fingerprint) {
        if (fingerprint == null) {
            return null;
        }
        String hex = fingerprint.substring(fingerprint.indexOf(':') + 1);
        return hex.substring(0, Math.min(SHORT_HEX, hex.length()));
    }

    @Override
    public String toString() {
        return "CredentialFingerprinter[hmac-sha256]";
    }

    private Mac newMac() {
        try {
            // Mac is not thread-safe; a new one per call keeps the fingerprinter shareable.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
        }
    }

    // Encodes without an intermediate String, and refuses unpaired surrogates rather than
    // replacing them, so two different inputs never fingerprint the same.
    private static byte[] utf8(char[] chars, String what) {
        ByteBuffer buffer;
        try {
            buffer = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(chars));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode text");
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
