package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired state of a ReloadlyCredential: what it is for, where it comes from, where it goes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.token) || !has(self.token.enabled) || self.token.enabled"
        + " || (has(self.target) && has(self.target.mode) && self.target.mode == 'credentials')",
    message = "token.enabled is false, so target.mode must be credentials (modes token and both"
        + " serve a bearer token)",
    fieldPath = ".token.enabled")
public class ReloadlyCredentialSpec {

  @Required
  @JsonPropertyDescription(
      "Reloadly environment the credential belongs to: live (production) or sandbox. Selects the"
          + " token audience and the base URL, and the default compliance enforcement.")
  private Environment environment;

  @Required
  @JsonPropertyDescription(
      "Reloadly product the credential is used for: airtime (topups), giftcards or utilities."
          + " Selects the token audience and the base URL written to the target Secret.")
  private Product product;

  @Required
  @JsonPropertyDescription(
      "Who answers for this credential: rotation reminders and compliance findings name them.")
  private Owner owner;

  @Required
  @JsonPropertyDescription(
      "Where the client ID and client secret come from. Exactly one of sealed and secretRef.")
  private CredentialSource source;

  @JsonPropertyDescription(
      "When the credential must be rotated. Reloadly's guideline C5: every 90 days or less.")
  private RotationPolicy rotation;

  @JsonPropertyDescription("Bearer tokens minted from the credential for the workloads.")
  private TokenPolicy token;

  @JsonPropertyDescription("The Secret the operator writes for workloads to mount.")
  private TargetSpec target;

  @JsonPropertyDescription(
      "Workloads that use the target Secret, restarted once when the served credential changes"
          + " (see docs/rollouts.md). Workloads found reading the Secret are listed in"
          + " status.consumers either way.")
  private Consumers consumers;

  @JsonPropertyDescription(
      "Egress control: Reloadly traffic leaves only through NAT nodes whose IPs are allowlisted"
          + " with Reloadly (guideline C7): a NetworkPolicy per consumer workload (or one"
          + " CiliumEgressGatewayPolicy), and a check of the NAT nodes' stable IPs against"
          + " allowlistedIPs, and optionally a probe through the NAT path (see docs/egress.md).")
  private EgressSpec egress;

  @JsonPropertyDescription("How the Reloadly security guidelines are checked and enforced."
      + " The checks run and report in status.compliance and the Compliant condition;"
      + " enforcement block holds a first release while a check fails (docs/compliance.md).")
  private ComplianceSpec compliance;

  public Environment getEnvironment() { return environment; }
  public void setEnvironment(Environment environment) { this.environment = environment; }
  public Product getProduct() { return product; }
  public void setProduct(Product product) { this.product = product; }
  public Owner getOwner() { return owner; }
  public void setOwner(Owner owner) { this.owner = owner; }
  public CredentialSource getSource() { return source; }
  public void setSource(CredentialSource source) { this.source = source; }
  public RotationPolicy getRotation() { return rotation; }
  public void setRotation(RotationPolicy rotation) { this.rotation = rotation; }
  public TokenPolicy getToken() { return token; }
  public void setToken(TokenPolicy token) { this.token = token; }
  public TargetSpec getTarget() { return target; }
  public void setTarget(TargetSpec target) { this.target = target; }
  public Consumers getConsumers() { return consumers; }
  public void setConsumers(Consumers consumers) { this.consumers = consumers; }
  public EgressSpec getEgress() { return egress; }
  public void setEgress(EgressSpec egress) { this.egress = egress; }
  public ComplianceSpec getCompliance() { return compliance; }
  public void setCompliance(ComplianceSpec compliance) { this.compliance = compliance; }
}
