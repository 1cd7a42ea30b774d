package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The team and address that answer for a credential. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Owner {
  @Size(max = 63)
  @JsonPropertyDescription("Team that owns the credential.")
  private String team;

  @Required
  @Size(max = 254)
  @Pattern("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")
  @JsonPropertyDescription(
      "Email of the owner, on the company's own domain (guideline C1: not a free mail service).")
  private String email;

  public Owner() {}

  public Owner(String team, String email) {
    this.team = team;
    this.email = email;
  }

  public String getTeam() { return team; }
  public void setTeam(String team) { this.team = team; }
  public String getEmail() { return email; }
  public void setEmail(String email) { this.email = email; }
}
