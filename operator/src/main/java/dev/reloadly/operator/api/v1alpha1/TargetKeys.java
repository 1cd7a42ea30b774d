package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Key names in the target Secret; the defaults follow Reloadly's own field names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetKeys {
  /**
   * A Secret data key as the API server checks it: letters, digits, '-', '_' and '.', but not
   * "." or "..", nor starting with "..". No lookahead: the API server's regular expressions are
   * RE2.
   */
  public static final String KEY = "^([-_a-zA-Z0-9]|\\.[-_a-zA-Z0-9])[-._a-zA-Z0-9]*$";

  @Default("client_id") @Pattern(KEY) @Size(max = 253)
  @JsonPropertyDescription("Key of the client ID (modes credentials and both).")
  private String clientId;

  @Default("client_secret") @Pattern(KEY) @Size(max = 253)
  @JsonPropertyDescription("Key of the client secret (modes credentials and both).")
  private String clientSecret;

  @Default("access_token") @Pattern(KEY) @Size(max = 253)
  @JsonPropertyDescription("Key of the bearer token (modes token and both).")
  private String accessToken;

  @Default("token_type") @Pattern(KEY) @Size(max = 253)
  @JsonPropertyDescription("Key of the token type, always Bearer.")
  private String tokenType;

  @Default("expires_at") @Pattern(KEY) @Size(max = 253)
  @JsonPropertyDescription("Key of the token expiry, RFC 3339.")
  private String expiresAt;

  @Default("audience") @Pattern(KEY) @Size(max = 253)
  @JsonPropertyDescription("Key of the token audience.")
  private String audience;

  @Default("base_url") @Pattern(KEY) @Size(max = 253)
  @JsonPropertyDescription("Key of the product's base URL, to call the API with the token.")
  private String baseUrl;

  public String getClientId() { return clientId; }
  public void setClientId(String v) { this.clientId = v; }
  public String getClientSecret() { return clientSecret; }
  public void setClientSecret(String v) { this.clientSecret = v; }
  public String getAccessToken() { return accessToken; }
  public void setAccessToken(String v) { this.accessToken = v; }
  public String getTokenType() { return tokenType; }
  public void setTokenType(String v) { this.tokenType = v; }
  public String getExpiresAt() { return expiresAt; }
  public void setExpiresAt(String v) { this.expiresAt = v; }
  public String getAudience() { return audience; }
  public void setAudience(String v) { this.audience = v; }
  public String getBaseUrl() { return baseUrl; }
  public void setBaseUrl(String v) { this.baseUrl = v; }
}
