package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.CredentialSource;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TargetSpec;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.egress.EgressSettings;
import dev.reloadly.operator.rollout.ConsumerPolicy;
import java.util.Optional;

/**
 * The reconciler's own check of a spec. The schema rejects bad specs on a real cluster; this
 * guards against what slips past it (an old CRD, a disabled validation) with a clear message.
 */
public final class SpecCheck {
  private SpecCheck() {}

  /** The first problem found, phrased for a person, or empty when the spec can be acted on. */
  public static Optional<String> problem(ReloadlyCredentialSpec spec) {
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
    TargetMode mode = Optional.ofNullable(spec.getTarget()).map(TargetSpec::getMode)
        .orElse(TargetMode.TOKEN);
    if (!policy.tokenEnabled() && mode.includesToken()) {
      return Optional.of("spec.token.enabled is false, so spec.target.mode must be credentials"
          + " (modes token and both serve a bearer token)");
    }
    return Optional.empty();
  }
}
