package dev.reloadly.operator.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Owns single-shot AES-256-GCM through the JCA, with a 96-bit nonce and a 128-bit tag. */
final class AesGcm {

    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;

    /** The tag did not verify: wrong key, wrong associated data, or tampered input. */
    static final class AuthenticationFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        AuthenticationFailedException() {
            super("AES-GCM tag did not verify", null, false, false);
        }
    }

    private AesGcm() {
    }

    /** Returns ciphertext || tag. The caller guarantees this (key, nonce) pair is never reused. */
    static byte[] encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            // A fresh Cipher per call: Cipher is not thread-safe, and the lookup is cheap.
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable or misconfigured in this JVM", e);
        }
    }

    static byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag)
            throws AuthenticationFailedException {
        if (ciphertextAndTag.length < TAG_BYTES) {
            throw new AuthenticationFailedException();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(ciphertextAndTag);
        } catch (AEADBadTagException e) {
            throw new AuthenticationFailedException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable or misconfigured in this JVM", e);
        }
    }
}
