package dev.reloadly.operator.crypto;

import org.bouncycastle.crypto.hpke.HPKE;

/**
 * Owns the single HPKE suite sealed values use: mode_base, DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-256-GCM (RFC 9180 ids 0x0020, 0x0001, 0x0002).
 */
final class HpkeSuite {

    static final short KEM_ID = HPKE.kem_X25519_SHA256;
    static final short KDF_ID = HPKE.kdf_HKDF_SHA256;
    static final short AEAD_ID = HPKE.aead_AES_GCM256;
    /** Nsk and Npk for X25519, and Nenc (the encapsulated ephemeral public key). */
    static final int KEY_BYTES = 32;
    static final int ENC_BYTES = 32;
    /** RFC 9180 §7.1.3: DeriveKeyPair input must carry at least Nsk bytes of entropy. */
    static final int IKM_BYTES = 32;

    /** The six suite bytes as written into a sealed value: kem_id, kdf_id, aead_id, big-endian. */
    static byte[] idBytes() {
        return new byte[] {
            (byte) (KEM_ID >>> 8), (byte) KEM_ID,
            (byte) (KDF_ID >>> 8), (byte) KDF_ID,
            (byte) (AEAD_ID >>> 8), (byte) AEAD_ID};
    }

    private HpkeSuite() {
    }

    /**
     * A new BC HPKE instance. BC's HPKE keeps a mutable key-agreement object inside, so an
     * instance is not safe to share between threads; creating one is cheap (no key generation).
     */
    static HPKE newHpke() {
        return new HPKE(HPKE.mode_base, KEM_ID, KDF_ID, AEAD_ID);
    }
}
