package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** How bearer tokens are minted from the credential and refreshed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenPolicy {
  public static final String DEFAULT_REFRESH_BEFORE = "33%";

  @Default("true")
  @JsonPropertyDescription(
      "Mint bearer tokens for the workloads (needed by target modes token and both).")
  private Boolean enabled;

  @Default(DEFAULT_REFRESH_BEFORE)
  @Pattern("^(([1-9]|[1-9][0-9])%|[0-9]{1,5}d|([0-9]{1,7}(ms|s|m|h))+)$")
  @Size(max = DurationFormat.MAX_LENGTH)
  @JsonPropertyDescription(
      "How long before expiry a token is refreshed: a percent of its lifetime (33%) or a"
          + " duration (12h, 2d).")
  private String refreshBefore;

  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
  public String getRefreshBefore() { return refreshBefore; }
  public void setRefreshBefore(String refreshBefore) { this.refreshBefore = refreshBefore; }
}
