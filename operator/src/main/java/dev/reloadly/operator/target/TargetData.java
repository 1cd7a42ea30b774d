package dev.reloadly.operator.target;

import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.source.SecretBytes;
import dev.reloadly.operator.token.TokenResult;
import java.util.HashMap;
import java.util.Map;

/** Builds the data map of the target Secret, field by field, for each mode. */
public final class TargetData {
  private final TargetSecret.Keys keys;
  private final Map<String, String> data = new HashMap<>();

  public TargetData(TargetSecret.Keys keys) {
    this.keys = keys;
  }

  public static Map<String, String> credentials(TargetSecret.Keys keys, CredentialMaterial material) {
    return new TargetData(keys).withCredentials(material).build();
  }

  public TargetData withCredentials(CredentialMaterial material) {
    data.put(keys.clientId(), SecretBytes.encode(material.clientId()));
    data.put(keys.clientSecret(), SecretBytes.encode(material.clientSecret()));
    return this;
  }

  /** Where to call the API: always present, so apps can find the product even with no token. */
  public TargetData withEndpoint(String audience) {
    data.put(keys.audience(), SecretBytes.encode(audience));
    data.put(keys.baseUrl(), SecretBytes.encode(audience));
    return this;
  }

  public TargetData withToken(TokenResult.Issued token) {
    data.put(keys.accessToken(), SecretBytes.encode(token.accessToken()));
    data.put(keys.tokenType(), SecretBytes.encode(token.tokenType() == null ? "Bearer" : token.tokenType()));
    data.put(keys.expiresAt(), SecretBytes.encode(token.expiresAt().toString()));
    return this;
  }

  /** Keeps the token already served (the values as the target Secret holds them). */
  public TargetData withServedToken(Map<String, String> existing) {
    for (String key : new String[] {keys.accessToken(), keys.tokenType(), keys.expiresAt()}) {
      if (existing.containsKey(key)) {
        data.put(key, existing.get(key));
      }
    }
    return this;
  }

  public boolean hasToken() {
    return data.containsKey(keys.accessToken());
  }

  public Map<String, String> build() {
    return Map.copyOf(data);
  }
}
