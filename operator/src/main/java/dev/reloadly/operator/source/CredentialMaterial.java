package dev.reloadly.operator.source;

import dev.reloadly.operator.logging.KnownSecrets;
import java.util.Arrays;

/**
 * A client ID and client secret in clear, held as char arrays so they can be wiped. Close it as
 * soon as it is no longer needed; it never prints its values.
 */
public final class CredentialMaterial implements AutoCloseable {
  private final char[] clientId;
  private final char[] clientSecret;

  public CredentialMaterial(char[] clientId, char[] clientSecret) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    // Every credential in clear passes here first (Secret, sealed value, store): from now on a
    // log line shows it as [REDACTED], even by mistake. Wiping does not forget it: the secret
    // still works at Reloadly.
    KnownSecrets.global().register(clientId);
    KnownSecrets.global().register(clientSecret);
  }

  public char[] clientId() {
    return clientId;
  }

  public char[] clientSecret() {
    return clientSecret;
  }

  @Override
  public void close() {
    Arrays.fill(clientId, '\0');
    Arrays.fill(clientSecret, '\0');
  }

  @Override
  public String toString() {
    return "CredentialMaterial[redacted]";
  }
}
