package dev.reloadly.operator.source;

/** The outcome of reading a credential's source: the material, or why it could not be read. */
public sealed interface SourceResult {

  /**
   * The source gave a client ID and secret. {@code sealingKeyId} is set for sealed sources;
   * {@code origin} for secretRef sources (what the Secret's metadata says of where it came from).
   */
  record Read(CredentialMaterial material, String sealingKeyId, SourceOrigin origin)
      implements SourceResult {

    public Read(CredentialMaterial material, String sealingKeyId) {
      this(material, sealingKeyId, null);
    }
  }

  /**
   * The source could not be read. The message names the object and field, never a value.
   *
   * @param reason a condition reason from {@code Conditions}
   * @param transientFailure true when retrying later may help without a spec change
   */
  record Failed(String reason, String message, boolean transientFailure) implements SourceResult {}
}
