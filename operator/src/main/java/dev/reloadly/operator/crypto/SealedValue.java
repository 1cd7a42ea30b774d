package dev.reloadly.operator.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import static dev.reloadly.operator.crypto.SealedValueException.Reason.MALFORMED;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.UNSUPPORTED_SUITE;
import static dev.reloadly.operator.crypto.SealedValueException.Reason.UNSUPPORTED_VERSION;

/**
 * The parsed form of a sealed value string, {@code rlsealed:v1:<base64url>}. Parsing checks the
 * layout only; nothing is decrypted, which is what lets status and metrics read the key id.
 *
 * <p>Binary layout (see docs/crypto.md): {@code version(1)=0x01 || kem_id(2) kdf_id(2)
 * aead_id(2) || key_id_len(1) || key_id || enc(32) || ciphertext || tag(16)}.
 */
public final class SealedValue {

    /** The text prefix of every format-v1 sealed value. */
    public static final String PREFIX = "rlsealed:v1:";
    /** The prefix of any version; tells "from a newer operator" apart from "not ours at all". */
    static final int VERSION = 0x01;
    static final int MAX_KEY_ID_BYTES = 64;
    // Generous for a client id or secret and still far below a Kubernetes object's 1 MiB limit.
    static final int MAX_TEXT_LENGTH = 16 * 1024;

    private final String keyId;
    private final byte[] header;
    private final byte[] enc;
    private final byte[] ciphertext;

    SealedValue(String keyId, byte[] header, byte[] enc, byte[] ciphertext) {
        this.keyId = keyId;
        this.header = header;
        this.enc = enc;
        this.ciphertext = ciphertext;
    }

    /**
     * Parses a sealed value string. Surrounding whitespace (a YAML block scalar's newline) is
     * ignored; anything else that is not exactly the v1 layout is refused.
     *
     * @throws SealedValueException MALFORMED, UNSUPPORTED_VERSION or UNSUPPORTED_SUITE
     */
    public static SealedValue parse(String sealed) {
        byte[] bytes = PrefixedBase64.decodeBody(sealed, PREFIX, MAX_TEXT_LENGTH, "sealed value", "not a sealed value",
                (refusal, message) -> new SealedValueException(
                        refusal == PrefixedBase64.Refusal.MALFORMED ? MALFORMED : UNSUPPORTED_VERSION, message));
        ByteCursor in = new ByteCursor(bytes);
        try {
            int version = in.u8();
            if (version != VERSION) {
                throw new SealedValueException(UNSUPPORTED_VERSION, "sealed value has binary format version "
                        + version + "; this operator reads version " + VERSION);
            }
            if (!Arrays.equals(in.take(6), HpkeSuite.idBytes())) {
                throw new SealedValueException(UNSUPPORTED_SUITE,
                        "sealed value names an HPKE suite other than DHKEM(X25519)/HKDF-SHA256/AES-256-GCM");
            }
            int keyIdLength = in.u8();
            if (keyIdLength == 0 || keyIdLength > MAX_KEY_ID_BYTES) {
                throw new SealedValueException(MALFORMED, "sealed value key id length " + keyIdLength + " is out of range");
            }
            byte[] keyIdBytes = in.take(keyIdLength);
            if (!isLowerHex(keyIdBytes)) {
                throw new SealedValueException(MALFORMED, "sealed value key id is not lower-case hex");
            }
            int headerLength = in.position();
            byte[] enc = in.take(HpkeSuite.ENC_BYTES);
            if (in.remaining() < AesGcm.TAG_BYTES) {
                throw new ByteCursor.TruncatedException();
            }
            return new SealedValue(new String(keyIdBytes, StandardCharsets.US_ASCII),
                    Arrays.copyOf(bytes, headerLength), enc, in.rest());
        } catch (ByteCursor.TruncatedException e) {
            throw new SealedValueException(MALFORMED, "sealed value is truncated");
        }
    }

    /**
     * The id of the key a sealed value was sealed to, without decrypting it; lets status and
     * metrics report values still sealed to old keys.
     *
     * @throws SealedValueException if the string is not a well-formed v1 sealed value
     */
    public static String keyIdOf(String sealed) {
        return parse(sealed).keyId();
    }

    /** The id of the sealing key this value was sealed to. */
    public String keyId() {
        return keyId;
    }

    /** The text form, {@code rlsealed:v1:} followed by unpadded base64url of the binary layout. */
    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(enc);
        out.writeBytes(ciphertext);
        return PrefixedBase64.encode(PREFIX, out.toByteArray());
    }

    /**
     * The header, version through key id. It is the HPKE {@code info}, so the key schedule is bound
     * to the version, suite and key id the value claims.
     */
    static byte[] header(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        if (id.length == 0 || id.length > MAX_KEY_ID_BYTES || !isLowerHex(id)) {
            throw new IllegalArgumentException("key id must be 1 to " + MAX_KEY_ID_BYTES + " lower-case hex characters");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        out.writeBytes(HpkeSuite.idBytes());
        out.write(id.length);
        out.writeBytes(id);
        return out.toByteArray();
    }

    byte[] header() {
        return header.clone();
    }

    byte[] enc() {
        return enc.clone();
    }

    byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedValue that && Arrays.equals(header, that.header)
                && Arrays.equals(enc, that.enc) && Arrays.equals(ciphertext, that.ciphertext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(header), Arrays.hashCode(enc), Arrays.hashCode(ciphertext));
    }

    /** Names the key id and size only; the ciphertext is not secret, but it is noise in logs. */
    @Override
    public String toString() {
        return "SealedValue[keyId=" + keyId + ", ciphertextBytes=" + ciphertext.length + "]";
    }

    private static boolean isLowerHex(byte[] bytes) {
        for (byte b : bytes) {
            if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
