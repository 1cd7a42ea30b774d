package dev.reloadly.operator.keys;

import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.crypto.KekRing;
import dev.reloadly.operator.crypto.SealingKeyRing;

/**
 * The operator's key material at one moment: sealing key pairs, key-encryption keys and the
 * fingerprint key. Immutable; renewal produces a new instance.
 */
public record OperatorKeys(SealingKeyRing sealing, KekRing keks, CredentialFingerprinter fingerprinter) {

  @Override
  public String toString() {
    return "OperatorKeys[sealing=" + sealing.newest().keyId() + ", kek=" + keks.active().keyId() + "]";
  }
}
