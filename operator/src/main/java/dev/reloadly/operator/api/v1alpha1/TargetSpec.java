package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The Secret the operator writes for workloads, and what goes in it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetSpec {
  /**
   * A Secret name as the API server checks it (a DNS-1123 subdomain): dot-separated labels that
   * each start and end with a letter or digit. A looser pattern let "a..b" or "a.-b" through,
   * which the API server then refused at every write of the target.
   */
  public static final String SECRET_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  @Size(max = 253)
  @Pattern(SECRET_NAME)
  @JsonPropertyDescription(
      "Name of the Secret to write, in the credential's namespace. Default: <credential>-reloadly."
          + " A Secret of that name that the operator does not own is never overwritten.")
  private String secretName;

  @Default("token")
  @JsonPropertyDescription(
      "What the Secret holds: token (a bearer token only, the default), credentials (client ID"
          + " and secret) or both.")
  private TargetMode mode;

  @JsonPropertyDescription("Key names in the target Secret.")
  private TargetKeys keys;

  public TargetSpec() {}

  public TargetSpec(String secretName, TargetMode mode) {
    this.secretName = secretName;
    this.mode = mode;
  }

  public String getSecretName() { return secretName; }
  public void setSecretName(String secretName) { this.secretName = secretName; }
  public TargetMode getMode() { return mode; }
  public void setMode(TargetMode mode) { this.mode = mode; }
  public TargetKeys getKeys() { return keys; }
  public void setKeys(TargetKeys keys) { this.keys = keys; }
}
