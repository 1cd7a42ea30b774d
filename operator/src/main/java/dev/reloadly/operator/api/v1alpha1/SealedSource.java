package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Client ID and client secret as sealed ciphertexts made by the `seal` command. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SealedSource {
  @Required
  @Size(min = 1, max = 4096)
  @JsonPropertyDescription("The sealed client ID (output of `seal --field clientId`).")
  private String clientId;

  @Required
  @Size(min = 1, max = 4096)
  @JsonPropertyDescription("The sealed client secret (output of `seal --field clientSecret`).")
  private String clientSecret;

  public SealedSource() {}

  public SealedSource(String clientId, String clientSecret) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  public String getClientId() { return clientId; }
  public void setClientId(String clientId) { this.clientId = clientId; }
  public String getClientSecret() { return clientSecret; }
  public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
}
