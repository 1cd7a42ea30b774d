package dev.reloadly.operator.source;

/** The outcome of reading a credential's source: the material, or why it could not be read. */
public sealed interface SourceResult {

  /** The source gave a client ID and secret. {@code sealingKeyId} is set for sealed sources. */
  record Read(CredentialMaterial material, String sealingKeyId) implements SourceResult {}

  /**
   * The source could not be read. The message names the object and field, never a value.
   *
   * @param reason a condition reason from {@code Conditions}
   * @param transientFailure true when retrying later may help without a spec change
   */
  record Failed(String reason, String message, boolean transientFailure) implements SourceResult {}
}
