package dev.reloadly.operator.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates the version ledger of a store Secret: HMAC-SHA256 under a key derived (HKDF) from
 * the operator's fingerprint key, over the credential's namespace, name and uid, the store's
 * generation and the ledger's exact JSON text. A ledger edited, moved to another credential, or
 * given another generation no longer verifies.
 */
public final class StoreMac {
  static final String PREFIX = "hmac-sha256:";
  private static final byte[] KEY_INFO =
      "reloadly-store-ledger-mac-v1".getBytes(StandardCharsets.US_ASCII);
  private static final String DOMAIN_TAG = "reloadly-store-ledger-v1";

  private final SecretKeySpec key;

  private StoreMac(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** The store MAC of an operator: its key never leaves this object. */
  public static StoreMac derivedFrom(CredentialFingerprinter fingerprinter) {
    byte[] key = fingerprinter.deriveKey(KEY_INFO, 32);
    try {
      return new StoreMac(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  public String tag(String namespace, String name, String uid, long generation, String ledger) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(CanonicalFields.encode(DOMAIN_TAG, namespace, name, uid == null ? "" : uid,
          Long.toString(generation)));
      // The ledger comes last and whole, so it needs no length prefix (and has no size limit).
      mac.update(ledger.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
    }
  }

  /** Constant-time check of a tag read from a store. */
  public boolean verifies(String namespace, String name, String uid, long generation,
      String ledger, String tag) {
    if (tag == null) {
      return false;
    }
    return MessageDigest.isEqual(tag(namespace, name, uid, generation, ledger)
        .getBytes(StandardCharsets.UTF_8), tag.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "StoreMac[hmac-sha256]";
  }
}
