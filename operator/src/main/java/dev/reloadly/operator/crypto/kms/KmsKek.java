package dev.reloadly.operator.crypto.kms;

import dev.reloadly.operator.crypto.KeyEncryptionKey;
import dev.reloadly.operator.crypto.LocalKeyEncryptionKey;
import java.util.Objects;

/**
 * A KEK held in memory as a local AES key, persisted only as the KMS plugin's ciphertext of it.
 * Wrapping and unwrapping stay local and fast; wrapping new data waits while the plugin is down,
 * so nothing is stored under a key the KMS may have disabled.
 *
 * @param storedInClearBefore the key was once in the key Secret as raw bytes (an install moved
 *     from local KEKs): an old etcd backup may hold it, so it must not stay active
 */
final class KmsKek implements KeyEncryptionKey {
  private final LocalKeyEncryptionKey key;
  private final KmsV2Plugin.Ciphertext wrapped;
  private final boolean storedInClearBefore;
  private final KmsHealth health;

  KmsKek(LocalKeyEncryptionKey key, KmsV2Plugin.Ciphertext wrapped, boolean storedInClearBefore,
      KmsHealth health) {
    this.key = Objects.requireNonNull(key, "key");
    this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
    this.storedInClearBefore = storedInClearBefore;
    this.health = Objects.requireNonNull(health, "health");
  }

  @Override
  public String keyId() {
    return key.keyId();
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] aad) {
    health.requireHealthy();
    return key.wrap(dataKey, aad);
  }

  @Override
  public byte[] unwrap(byte[] wrappedKey, byte[] aad) {
    return key.unwrap(wrappedKey, aad);
  }

  KmsV2Plugin.Ciphertext wrapped() {
    return wrapped;
  }

  boolean storedInClearBefore() {
    return storedInClearBefore;
  }

  /** The key alone, for a move back to local KEKs. */
  LocalKeyEncryptionKey local() {
    return key;
  }

  @Override
  public String toString() {
    return "KmsKek[" + key.keyId() + " under KMS key " + wrapped.keyId() + "]";
  }
}
