package dev.reloadly.operator.token;

import dev.reloadly.operator.api.v1alpha1.Product;

/** Asks Reloadly's auth server for a client-credentials access token. */
public interface ReloadlyTokenClient {

  /**
   * Requests a token for {@code audience} (a product base URL, see {@link Product#baseUrl}).
   * Never throws for remote failures; they come back as {@link TokenResult.Rejected} or
   * {@link TokenResult.RetryLater}. The caller keeps ownership of the credential arrays.
   */
  TokenResult requestToken(char[] clientId, char[] clientSecret, String audience);
}
