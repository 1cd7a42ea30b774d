package dev.reloadly.operator.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Condition types and reasons of a ReloadlyCredential, and the one way to set a condition. */
public final class Conditions {
  // Types
  public static final String READY = "Ready";
  public static final String SOURCE_READY = "SourceReady";
  public static final String CREDENTIAL_VALID = "CredentialValid";
  public static final String TOKEN_READY = "TokenReady";
  public static final String ROTATION_DUE = "RotationDue";
  public static final String ROTATION_OVERDUE = "RotationOverdue";
  public static final String CREDENTIAL_COMPROMISED = "CredentialCompromised";
  public static final String ROLLOUT_COMPLETE = "RolloutComplete";
  public static final String EGRESS_READY = "EgressReady";
  public static final String COMPLIANT = "Compliant";
  public static final String EGRESS_ALLOWLISTED = "EgressAllowlisted";
  public static final String EGRESS_VERIFIED = "EgressVerified";

  // Reasons
  public static final String RECONCILED = "Reconciled";
  public static final String SOURCE_READ = "SourceRead";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String KEY_NOT_FOUND = "KeyNotFound";
  public static final String EMPTY_VALUE = "EmptyValue";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String DECRYPTION_FAILED = "DecryptionFailed";
  public static final String TARGET_CONFLICT = "TargetConflict";
  public static final String SOURCE_NOT_READY = "SourceNotReady";
  public static final String VALID = "Valid";
  public static final String INVALID_CREDENTIALS = "InvalidCredentials";
  public static final String VALIDATION_PENDING = "ValidationPending";
  public static final String TOKEN_DISABLED = "TokenDisabled";
  public static final String TOKEN_REQUEST_FAILED = "TokenRequestFailed";
  public static final String NOT_DUE = "NotDue";
  public static final String DUE = "Due";
  public static final String OVERDUE = "Overdue";
  public static final String NO_INCIDENT = "NoIncident";
  public static final String REPORTED = "Reported";
  public static final String REPLACED = "Replaced";
  public static final String NO_VALID_VERSION = "NoValidVersion";
  public static final String INVALID_AUDIENCE = "InvalidAudience";
  public static final String COMPROMISED_OFFERED = "CompromisedVersionOffered";
  public static final String STORE_DAMAGED = "StoreDamaged";
  /** A new version waits: the KEK provider (a KMS v2 plugin) cannot protect new data now. */
  public static final String KEY_PROVIDER_UNAVAILABLE = "KeyProviderUnavailable";
  public static final String STORE_ROLLED_BACK = "StoreRolledBack";
  public static final String ROLLED_OUT = "RolledOut";
  public static final String ROLLOUT_PENDING = "RolloutPending";
  public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
  public static final String ROLLOUT_STALLED = "RolloutStalled";
  public static final String NO_CONSUMERS = "NoConsumers";
  public static final String POLICIES_APPLIED = "PoliciesApplied";
  public static final String NO_NAT_NODES = "NoNatNodes";
  public static final String CILIUM_NOT_INSTALLED = "CiliumNotInstalled";
  public static final String PROBE_PASSED = "ProbePassed";
  public static final String PROBE_REJECTED = "ProbeRejected";
  public static final String PROBE_FAILED = "ProbeFailed";
  public static final String PROBE_RUNNING = "ProbeRunning";
  public static final String NO_TOKEN = "NoToken";
  public static final String CHECKS_PASS = "ChecksPass";
  public static final String CHECKS_FAIL = "ChecksFail";
  /** Ready=False: a first release waits until no compliance check fails (enforcement block). */
  public static final String COMPLIANCE_BLOCKED = "ComplianceBlocked";
  public static final String ALLOWLISTED = "Allowlisted";
  public static final String IP_NOT_ALLOWLISTED = "IPNotAllowlisted";
  /** Event reason: a workload reads the target Secret but spec.consumers does not name it. */
  public static final String UNDECLARED_CONSUMER = "UndeclaredConsumer";
  public static final String TOKEN_VALID = "TokenValid";
  public static final String TOKEN_WITHDRAWN = "TokenWithdrawn";

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private Conditions() {}

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Sets a condition in place. lastTransitionTime moves only when the status flips, so a steady
   * state produces an identical list and therefore no status write.
   */
  public static void set(List<Condition> conditions, String type, boolean status, String reason,
      String message, Long generation, Instant now) {
    String value = status ? TRUE : FALSE;
    Optional<Condition> existing = find(conditions, type);
    String transition = existing
        .filter(c -> value.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElse(now.toString());
    Condition next = new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
    existing.ifPresentOrElse(
        c -> conditions.set(conditions.indexOf(c), next), () -> conditions.add(next));
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }
}
