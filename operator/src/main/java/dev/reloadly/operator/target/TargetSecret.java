package dev.reloadly.operator.target;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetKeys;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TargetSpec;
import java.util.Optional;

/** Names and defaults of the target Secret, read from a credential's spec. */
public final class TargetSecret {
  public static final String COMPONENT = "target";

  private TargetSecret() {}

  public static String name(ReloadlyCredential credential) {
    return Optional.ofNullable(credential.getSpec().getTarget())
        .map(TargetSpec::getSecretName)
        .orElse(credential.getMetadata().getName() + "-reloadly");
  }

  public static TargetMode mode(ReloadlyCredential credential) {
    return Optional.ofNullable(credential.getSpec().getTarget())
        .map(TargetSpec::getMode)
        .orElse(TargetMode.TOKEN);
  }

  /** Key names with the documented defaults filled in. */
  public static Keys keys(ReloadlyCredential credential) {
    TargetKeys k = Optional.ofNullable(credential.getSpec().getTarget())
        .map(TargetSpec::getKeys).orElseGet(TargetKeys::new);
    return new Keys(
        or(k.getClientId(), "client_id"), or(k.getClientSecret(), "client_secret"),
        or(k.getAccessToken(), "access_token"), or(k.getTokenType(), "token_type"),
        or(k.getExpiresAt(), "expires_at"), or(k.getAudience(), "audience"),
        or(k.getBaseUrl(), "base_url"));
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }

  /** Resolved key names of the target Secret. */
  public record Keys(String clientId, String clientSecret, String accessToken, String tokenType,
      String expiresAt, String audience, String baseUrl) {}
}
