package dev.reloadly.operator.lifecycle;

import java.time.Instant;

/**
 * One credential version as the ledger records it: a fingerprint and dates, never the value.
 *
 * @param fingerprint HMAC fingerprint of client ID and secret
 * @param createdAt when the operator first saw it
 * @param validatedAt when a token request last proved it valid, or null
 * @param supersededAt when it stopped being current, or null
 */
public record CredentialVersion(String fingerprint, VersionState state, Instant createdAt,
    Instant validatedAt, Instant supersededAt) {

  public CredentialVersion withState(VersionState next) {
    return new CredentialVersion(fingerprint, next, createdAt, validatedAt, supersededAt);
  }

  public CredentialVersion validated(Instant at) {
    return new CredentialVersion(fingerprint, state, createdAt, at, supersededAt);
  }

  public CredentialVersion superseded(Instant at, VersionState next) {
    return new CredentialVersion(fingerprint, next, createdAt, validatedAt, at);
  }
}
