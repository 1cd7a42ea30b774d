package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.Optional;

/**
 * The status one reconcile builds, starting from a copy of the observed one; it knows whether
 * anything changed, so a steady state writes nothing.
 */
final class StatusDraft {
  private static final KubernetesSerialization COPIER = new KubernetesSerialization();

  private final ReloadlyCredentialStatus observed;
  private final ReloadlyCredentialStatus draft;
  private final Long generation;
  private final Instant now;

  StatusDraft(ReloadlyCredentialStatus observed, Long generation, Instant now) {
    this.observed = observed == null ? new ReloadlyCredentialStatus() : observed;
    this.draft = COPIER.clone(this.observed);
    this.draft.setObservedGeneration(generation);
    this.generation = generation;
    this.now = now;
  }

  ReloadlyCredentialStatus status() {
    return draft;
  }

  Instant now() {
    return now;
  }

  void condition(String type, boolean value, String reason, String message) {
    Conditions.set(draft.getConditions(), type, value, reason, message, generation, now);
  }

  /** Drops a condition whose concern is no longer configured (egress removed from the spec). */
  void removeCondition(String type) {
    draft.getConditions().removeIf(c -> type.equals(c.getType()));
  }

  void apply(ConditionUpdate update) {
    condition(update.type(), update.status(), update.reason(), update.message());
  }

  boolean changed() {
    return !draft.equals(observed);
  }

  Optional<Condition> observed(String type) {
    return Conditions.find(observed.getConditions(), type);
  }

  Optional<Condition> drafted(String type) {
    return Conditions.find(draft.getConditions(), type);
  }
}
