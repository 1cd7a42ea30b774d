package dev.reloadly.operator.source;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.SealedSource;
import dev.reloadly.operator.crypto.SealedValue;
import dev.reloadly.operator.crypto.SealedValueException;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Opens spec.source.sealed with the operator's sealing keys. Each value opens only for the
 * namespace, credential name and field it was sealed for.
 */
public final class SealedValueOpener implements SealedSourceReader {
  private final Sealer sealer;
  private final Supplier<SealingKeyRing> keys;

  public SealedValueOpener(Sealer sealer, Supplier<SealingKeyRing> keys) {
    this.sealer = sealer;
    this.keys = keys;
  }

  @Override
  public SourceResult read(String namespace, String credentialName, SealedSource sealed) {
    SealingKeyRing ring = keys.get();
    char[] clientId = null;
    try {
      clientId = open(sealed.getClientId(), SealingScope.clientId(namespace, credentialName), ring);
      char[] clientSecret = open(sealed.getClientSecret(),
          SealingScope.clientSecret(namespace, credentialName), ring);
      return new SourceResult.Read(new CredentialMaterial(clientId, clientSecret),
          SealedValue.keyIdOf(sealed.getClientSecret()));
    } catch (FieldFailure failure) {
      if (clientId != null) {
        Arrays.fill(clientId, '\0');
      }
      return new SourceResult.Failed(Conditions.DECRYPTION_FAILED, failure.getMessage(), false);
    }
  }

  private char[] open(String value, SealingScope scope, SealingKeyRing ring) throws FieldFailure {
    String field = "spec.source.sealed." + scope.field();
    byte[] plain;
    try {
      plain = sealer.open(value, scope, ring);
    } catch (SealedValueException e) {
      throw new FieldFailure(field + " cannot be opened: " + cause(e.reason()));
    }
    try {
      char[] chars = SecretBytes.utf8ToChars(plain);
      if (chars == null) {
        throw new FieldFailure(field + " opened but is not UTF-8 text");
      }
      return chars;
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** A person-readable cause; never the value. */
  static String cause(SealedValueException.Reason reason) {
    return switch (reason) {
      case MALFORMED -> "not a sealed value (truncated or garbled; seal it again with `seal`)";
      case UNSUPPORTED_VERSION, UNSUPPORTED_SUITE ->
          "sealed by a newer format this operator does not know";
      case UNKNOWN_KEY -> "sealed with a key this cluster's operator does not hold (another"
          + " cluster's key, or a key pair that was deleted)";
      case AUTHENTICATION_FAILED -> "authentication failed: tampered with, or sealed for another"
          + " namespace, credential name or field";
    };
  }

  /** A field that could not be opened, with a message safe for status and Events. */
  private static final class FieldFailure extends Exception {
    FieldFailure(String message) {
      super(message, null, false, false);
    }
  }
}
