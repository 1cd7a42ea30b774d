package dev.reloadly.operator.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.MALFORMED;
import static dev.reloadly.operator.crypto.StoreDecryptionException.Reason.UNSUPPORTED_VERSION;

/**
 * One envelope-encrypted store value, {@code rlenv:v1:<base64url>}. Parsing checks the layout
 * only, so the KEK id can be read without any key.
 *
 * <p>Binary layout (see docs/crypto.md): {@code version(1)=0x01 || kek_id_len(1) || kek_id ||
 * wrapped_len(2) || wrapped_dek || nonce(12) || ciphertext || tag(16)}.
 */
public final class EncryptedValue {

    /** The text prefix of every format-v1 encrypted value. */
    public static final String PREFIX = "rlenv:v1:";
    /** The prefix of any version; tells "from a newer operator" apart from "not ours at all". */
    static final int VERSION = 0x01;
    // A Kubernetes Secret holds at most 1 MiB; nothing longer can have come from one.
    static final int MAX_TEXT_LENGTH = 1024 * 1024;

    private final String kekId;
    private final byte[] wrappedKey;
    private final byte[] nonce;
    private final byte[] ciphertext;

    EncryptedValue(String kekId, byte[] wrappedKey, byte[] nonce, byte[] ciphertext) {
        KekRing.requireValidKeyId(kekId);
        if (wrappedKey.length == 0 || wrappedKey.length > 0xFFFF) {
            throw new IllegalArgumentException("a wrapped data key must be 1 to 65535 bytes, not " + wrappedKey.length);
        }
        this.kekId = kekId;
        this.wrappedKey = wrappedKey;
        this.nonce = nonce;
        this.ciphertext = ciphertext;
    }

    /**
     * Parses an encrypted value string; surrounding whitespace is ignored.
     *
     * @throws StoreDecryptionException MALFORMED or UNSUPPORTED_VERSION
     */
    public static EncryptedValue parse(String text) {
        byte[] bytes = PrefixedBase64.decodeBody(text, PREFIX, MAX_TEXT_LENGTH, "encrypted value", "not an encrypted value",
                (refusal, message) -> new StoreDecryptionException(
                        refusal == PrefixedBase64.Refusal.MALFORMED ? MALFORMED : UNSUPPORTED_VERSION, message));
        ByteCursor in = new ByteCursor(bytes);
        try {
            int version = in.u8();
            if (version != VERSION) {
                throw new StoreDecryptionException(UNSUPPORTED_VERSION, "encrypted value has binary format version "
                        + version + "; this operator reads version " + VERSION);
            }
            int kekIdLength = in.u8();
            byte[] kekIdBytes = in.take(kekIdLength);
            String kekId = new String(kekIdBytes, StandardCharsets.US_ASCII);
            if (kekIdLength == 0 || !kekId.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
                throw new StoreDecryptionException(MALFORMED, "encrypted value KEK id is empty or not printable ASCII");
            }
            int wrappedLength = in.u16();
            if (wrappedLength == 0) {
                throw new StoreDecryptionException(MALFORMED, "encrypted value has an empty wrapped data key");
            }
            byte[] wrapped = in.take(wrappedLength);
            byte[] nonce = in.take(AesGcm.NONCE_BYTES);
            if (in.remaining() < AesGcm.TAG_BYTES) {
                throw new ByteCursor.TruncatedException();
            }
            return new EncryptedValue(kekId, wrapped, nonce, in.rest());
        } catch (ByteCursor.TruncatedException e) {
            throw new StoreDecryptionException(MALFORMED, "encrypted value is truncated");
        }
    }

    /**
     * The id of the KEK an encrypted value's data key is wrapped under, without decrypting; lets
     * the caller find values still on an old KEK and decide when a KEK can be retired.
     *
     * @throws StoreDecryptionException if the string is not a well-formed v1 encrypted value
     */
    public static String kekIdOf(String text) {
        return parse(text).kekId();
    }

    public String kekId() {
        return kekId;
    }

    /** The text form, {@code rlenv:v1:} followed by unpadded base64url of the binary layout. */
    public String encode() {
        byte[] id = kekId.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        out.write(id.length);
        out.writeBytes(id);
        out.write(wrappedKey.length >>> 8);
        out.write(wrappedKey.length);
        out.writeBytes(wrappedKey);
        out.writeBytes(nonce);
        out.writeBytes(ciphertext);
        return PrefixedBase64.encode(PREFIX, out.toByteArray());
    }

    byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    byte[] nonce() {
        return nonce.clone();
    }

    byte[] ciphertext() {
        return ciphertext.clone();
    }

    /** A copy wrapped under another KEK; nonce and ciphertext are unchanged. */
    EncryptedValue withWrappedKey(String newKekId, byte[] newWrappedKey) {
        return new EncryptedValue(newKekId, newWrappedKey, nonce, ciphertext);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptedValue that && kekId.equals(that.kekId)
                && Arrays.equals(wrappedKey, that.wrappedKey) && Arrays.equals(nonce, that.nonce)
                && Arrays.equals(ciphertext, that.ciphertext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kekId, Arrays.hashCode(wrappedKey), Arrays.hashCode(nonce), Arrays.hashCode(ciphertext));
    }

    @Override
    public String toString() {
        return "EncryptedValue[kekId=" + kekId + ", ciphertextBytes=" + ciphertext.length + "]";
    }
}
