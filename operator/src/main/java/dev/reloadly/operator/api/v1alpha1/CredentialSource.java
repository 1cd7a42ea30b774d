package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the client ID and client secret come from: sealed ciphertext in the spec, or a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.sealed) != has(self.secretRef)",
    message = "exactly one of source.sealed and source.secretRef must be set")
public class CredentialSource {
  @JsonPropertyDescription(
      "Client ID and client secret sealed with the operator's public key by"
          + " `reloadly-credential-operator seal`. Safe to commit to Git: each value opens only for"
          + " this namespace, credential name and field.")
  private SealedSource sealed;

  @JsonPropertyDescription(
      "A Secret in the credential's namespace holding the client ID and secret in clear, e.g."
          + " written by External Secrets or Vault. The operator labels it so it can watch it.")
  private SecretRefSource secretRef;

  public SealedSource getSealed() { return sealed; }
  public void setSealed(SealedSource sealed) { this.sealed = sealed; }
  public SecretRefSource getSecretRef() { return secretRef; }
  public void setSecretRef(SecretRefSource secretRef) { this.secretRef = secretRef; }
}
