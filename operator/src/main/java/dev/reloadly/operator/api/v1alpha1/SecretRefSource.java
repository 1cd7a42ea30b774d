package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret in the credential's own namespace that holds the client ID and secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRefSource {
  static final String KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Secret, in the credential's namespace.")
  private String name;

  @Default("client_id")
  @Size(min = 1, max = 253)
  @Pattern(KEY_PATTERN)
  @JsonPropertyDescription("Key of the client ID in the Secret.")
  private String clientIdKey;

  @Default("client_secret")
  @Size(min = 1, max = 253)
  @Pattern(KEY_PATTERN)
  @JsonPropertyDescription("Key of the client secret in the Secret.")
  private String clientSecretKey;

  public SecretRefSource() {}

  public SecretRefSource(String name) {
    this.name = name;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getClientIdKey() { return clientIdKey; }
  public void setClientIdKey(String clientIdKey) { this.clientIdKey = clientIdKey; }
  public String getClientSecretKey() { return clientSecretKey; }
  public void setClientSecretKey(String clientSecretKey) { this.clientSecretKey = clientSecretKey; }

  public String clientIdKeyOrDefault() {
    return clientIdKey == null ? "client_id" : clientIdKey;
  }

  public String clientSecretKeyOrDefault() {
    return clientSecretKey == null ? "client_secret" : clientSecretKey;
  }
}
