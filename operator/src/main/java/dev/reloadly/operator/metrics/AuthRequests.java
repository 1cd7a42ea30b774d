package dev.reloadly.operator.metrics;

import dev.reloadly.operator.metrics.CredentialMetrics.AuthResult;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenResult;

/**
 * Counts each request to Reloadly's token endpoint by its result, as
 * {@code reloadly_auth_requests_total{result}}. Wraps the client that talks to Reloadly, inside
 * the operator's request cap, so a request the cap turns away is not counted as one.
 */
public final class AuthRequests {
  private AuthRequests() {}

  public static ReloadlyTokenClient counted(ReloadlyTokenClient client, CredentialMetrics metrics) {
    return (clientId, clientSecret, audience) -> {
      TokenResult result = client.requestToken(clientId, clientSecret, audience);
      metrics.authRequest(resultOf(result));
      return result;
    };
  }

  static AuthResult resultOf(TokenResult result) {
    if (result instanceof TokenResult.Issued) {
      return AuthResult.SUCCESS;
    }
    if (result instanceof TokenResult.Rejected) {
      return AuthResult.REJECTED;
    }
    return result instanceof TokenResult.RetryLater later && later.throttled()
        ? AuthResult.THROTTLED : AuthResult.ERROR;
  }
}
