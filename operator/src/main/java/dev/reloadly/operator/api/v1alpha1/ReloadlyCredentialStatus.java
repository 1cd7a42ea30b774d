package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the operator observed and did. Holds no secret: fingerprints, instants and reasons only.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ReloadlyCredentialStatus {
  @JsonPropertyDescription("The spec generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, SourceReady, CredentialValid, TokenReady, RotationDue, RotationOverdue,"
          + " CredentialCompromised, RolloutComplete, EgressReady, EgressAllowlisted, EgressVerified, Compliant. Each carries a reason and a message.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Name of the Secret the operator writes for the workloads.")
  private String targetSecretName;

  @JsonPropertyDescription(
      "Credential versions the operator holds, newest first, identified by fingerprint.")
  private List<CredentialVersionStatus> versions = new ArrayList<>();

  @JsonPropertyDescription("The start of versions[].fingerprint of the current version: its first"
      + " 12 hex characters, without the hmac-sha256: prefix (the Version column of kubectl get)."
      + " Absent while no version is current.")
  private String currentVersion;

  @JsonPropertyDescription(
      "When the owner is asked to rotate: current version's createdAt + maxAge - renewBefore.")
  private String nextRotationAt;

  @JsonPropertyDescription("Expiry of the bearer token in the target Secret (never the token).")
  private String tokenExpiresAt;

  @JsonPropertyDescription("Sealing key the sealed source was made with, and whether it is the newest.")
  private SealingKeyStatus sealingKey;

  @JsonPropertyDescription("Suspected compromises reported on this credential, oldest first.")
  private List<IncidentStatus> incidents = new ArrayList<>();

  /**
   * Generation of the store Secret the operator last wrote or verified. A store older than this
   * (an old copy written back) is refused with Ready=False, reason StoreRolledBack.
   */
  @JsonPropertyDescription("Generation of the store Secret the operator last wrote or verified;"
      + " a store older than this is refused (Ready=False, reason StoreRolledBack).")
  private Long storeGeneration;

  @JsonPropertyDescription("Workloads that consume the target Secret: declared in"
      + " spec.consumers, or found reading it in the credential's namespace.")
  private List<ConsumerStatus> consumers = new ArrayList<>();

  /**
   * An Integer, not an int, so a status built by hand can leave it out. The operator always writes
   * it, 0 included: NON_EMPTY omits null and empty collections but writes a zero number, so the
   * Consumers column reads 0 rather than blank for a reconciled credential without consumers.
   */
  @JsonPropertyDescription("How many workloads status.consumers lists (the Consumers column of"
      + " kubectl get).")
  private Integer consumerCount;

  @JsonPropertyDescription("The last roll of the consumers onto a new version or token.")
  private RolloutStatus rollout;

  @JsonPropertyDescription("NAT nodes and egress policies, when spec.egress is set.")
  private EgressStatus egress;

  @JsonPropertyDescription("Compliance with Reloadly's security guidelines: a score and one result"
      + " per check (docs/compliance.md).")
  private ComplianceStatus compliance;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long v) { this.observedGeneration = v; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> v) { this.conditions = v == null ? new ArrayList<>() : v; }
  public String getTargetSecretName() { return targetSecretName; }
  public void setTargetSecretName(String v) { this.targetSecretName = v; }
  public List<CredentialVersionStatus> getVersions() { return versions; }
  public void setVersions(List<CredentialVersionStatus> v) { this.versions = v == null ? new ArrayList<>() : v; }
  public String getCurrentVersion() { return currentVersion; }
  public void setCurrentVersion(String v) { this.currentVersion = v; }
  public String getNextRotationAt() { return nextRotationAt; }
  public void setNextRotationAt(String v) { this.nextRotationAt = v; }
  public String getTokenExpiresAt() { return tokenExpiresAt; }
  public void setTokenExpiresAt(String v) { this.tokenExpiresAt = v; }
  public SealingKeyStatus getSealingKey() { return sealingKey; }
  public void setSealingKey(SealingKeyStatus v) { this.sealingKey = v; }
  public List<IncidentStatus> getIncidents() { return incidents; }
  public void setIncidents(List<IncidentStatus> v) { this.incidents = v == null ? new ArrayList<>() : v; }
  public Long getStoreGeneration() { return storeGeneration; }
  public void setStoreGeneration(Long v) { this.storeGeneration = v; }
  public List<ConsumerStatus> getConsumers() { return consumers; }
  public void setConsumers(List<ConsumerStatus> v) { this.consumers = v == null ? new ArrayList<>() : v; }
  public Integer getConsumerCount() { return consumerCount; }
  public void setConsumerCount(Integer v) { this.consumerCount = v; }
  public ComplianceStatus getCompliance() { return compliance; }
  public void setCompliance(ComplianceStatus v) { this.compliance = v; }
  public EgressStatus getEgress() { return egress; }
  public void setEgress(EgressStatus v) { this.egress = v; }
  public RolloutStatus getRollout() { return rollout; }
  public void setRollout(RolloutStatus v) { this.rollout = v; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof ReloadlyCredentialStatus s)) return false;
    return Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(targetSecretName, s.targetSecretName)
        && Objects.equals(versions, s.versions)
        && Objects.equals(currentVersion, s.currentVersion)
        && Objects.equals(nextRotationAt, s.nextRotationAt)
        && Objects.equals(tokenExpiresAt, s.tokenExpiresAt)
        && Objects.equals(sealingKey, s.sealingKey)
        && Objects.equals(incidents, s.incidents)
        && Objects.equals(storeGeneration, s.storeGeneration)
        && Objects.equals(consumers, s.consumers)
        && Objects.equals(consumerCount, s.consumerCount)
        && Objects.equals(rollout, s.rollout)
        && Objects.equals(egress, s.egress)
        && Objects.equals(compliance, s.compliance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, targetSecretName, versions, currentVersion,
        nextRotationAt, tokenExpiresAt, sealingKey, incidents, storeGeneration, consumers,
        consumerCount, rollout, egress, compliance);
  }
}
