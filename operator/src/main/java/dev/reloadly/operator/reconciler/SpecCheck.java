package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.CredentialSource;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.api.v1alpha1.TargetKeys;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TargetSpec;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.ReportReason;
import dev.reloadly.operator.egress.EgressSettings;
import dev.reloadly.operator.rollout.ConsumerPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reconciler's own check of a spec. The schema rejects bad specs on a real cluster; this
 * guards against what slips past it (an old CRD, a disabled validation) with a clear message.
 */
public final class SpecCheck {
  private static final Pattern SECRET_NAME = Pattern.compile(TargetSpec.SECRET_NAME);
  private static final Pattern SECRET_KEY = Pattern.compile(TargetKeys.KEY);
  private static final int MAX_NAME_LENGTH = 253;

  private SpecCheck() {}

  /**
   * The first problem found, phrased for a person, or empty when the spec can be acted on. It is
   * one line of at most {@value ReportReason#MAX_CHARS} characters: messages quote the value they
   * refuse, which without the schema may hold line breaks or be megabytes long, and the message
   * goes into two conditions and an Event.
   */
  public static Optional<String> problem(ReloadlyCredentialSpec spec) {
    return firstProblem(spec).map(ReportReason::clean);
  }

  private static Optional<String> firstProblem(ReloadlyCredentialSpec spec) {
    if (spec == null) {
      return Optional.of("spec is missing");
    }
    if (spec.getEnvironment() == null) {
      return Optional.of("spec.environment is required (live or sandbox)");
    }
    if (spec.getProduct() == null) {
      return Optional.of("spec.product is required (airtime, giftcards or utilities)");
    }
    if (spec.getOwner() == null || spec.getOwner().getEmail() == null
        || spec.getOwner().getEmail().isBlank()) {
      return Optional.of("spec.owner.email is required");
    }
    CredentialSource source = spec.getSource();
    if (source == null || (source.getSealed() == null) == (source.getSecretRef() == null)) {
      return Optional.of("spec.source must set exactly one of sealed and secretRef");
    }
    if (source.getSecretRef() != null && (source.getSecretRef().getName() == null
        || source.getSecretRef().getName().isBlank())) {
      return Optional.of("spec.source.secretRef.name is required");
    }
    if (source.getSealed() != null && (source.getSealed().getClientId() == null
        || source.getSealed().getClientSecret() == null)) {
      return Optional.of("spec.source.sealed needs both clientId and clientSecret");
    }
    CredentialPolicy policy;
    try {
      policy = CredentialPolicy.of(spec);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    try {
      ConsumerPolicy.of(spec.getConsumers());
      if (spec.getEgress() != null) {
        EgressSettings.of(spec.getEgress());
      }
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    Optional<String> target = targetProblem(spec.getTarget());
    if (target.isPresent()) {
      return target;
    }
    TargetMode mode = Optional.ofNullable(spec.getTarget()).map(TargetSpec::getMode)
        .orElse(TargetMode.TOKEN);
    if (!policy.tokenEnabled() && mode.includesToken()) {
      return Optional.of("spec.token.enabled is false, so spec.target.mode must be credentials"
          + " (modes token and both serve a bearer token)");
    }
    return Optional.empty();
  }

  /**
   * The target Secret's name and keys as the API server checks them. Without this, a name or key
   * it refuses made every write of the target fail: a reconcile error loop with no condition.
   */
  private static Optional<String> targetProblem(TargetSpec target) {
    if (target == null) {
      return Optional.empty();
    }
    String name = target.getSecretName();
    if (name != null && (name.length() > MAX_NAME_LENGTH || !SECRET_NAME.matcher(name).matches())) {
      return Optional.of("spec.target.secretName must be a Secret name: at most 253 lower-case"
          + " letters, digits, '-' and '.', each part between dots starting and ending with a"
          + " letter or digit");
    }
    TargetKeys keys = target.getKeys();
    if (keys == null) {
      return Optional.empty();
    }
    Map<String, String> byField = new LinkedHashMap<>();
    byField.put("clientId", keys.getClientId());
    byField.put("clientSecret", keys.getClientSecret());
    byField.put("accessToken", keys.getAccessToken());
    byField.put("tokenType", keys.getTokenType());
    byField.put("expiresAt", keys.getExpiresAt());
    byField.put("audience", keys.getAudience());
    byField.put("baseUrl", keys.getBaseUrl());
    return byField.entrySet().stream()
        .filter(e -> e.getValue() != null && (e.getValue().length() > MAX_NAME_LENGTH
            || !SECRET_KEY.matcher(e.getValue()).matches()))
        .findFirst()
        .map(e -> "spec.target.keys." + e.getKey() + " must be a Secret key: at most 253"
            + " letters, digits, '-', '_' and '.', and neither \".\" nor starting with \"..\"");
  }
}
