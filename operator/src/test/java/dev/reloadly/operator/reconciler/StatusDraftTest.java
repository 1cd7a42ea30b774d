package dev.reloadly.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The status one reconcile builds: a steady state is no change, so nothing is written. */
class StatusDraftTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant LATER = T0.plusSeconds(3600);

  @Test
  void theSameConditionsAnHourLaterAreNoChange() {
    ReloadlyCredentialStatus observed = steady();

    StatusDraft draft = new StatusDraft(observed, 3L, LATER);
    draft.condition(Conditions.READY, true, Conditions.RECONCILED, "serving");
    draft.apply(new ConditionUpdate(Conditions.CREDENTIAL_VALID, true, Conditions.VALID, "valid"));

    assertThat(draft.changed()).isFalse();
    assertThat(draft.drafted(Conditions.READY)).map(Condition::getLastTransitionTime)
        .contains(T0.toString());
  }

  @Test
  void aFlipIsAChangeAndATransitionWithANewTransitionTime() {
    StatusDraft draft = new StatusDraft(steady(), 3L, LATER);
    draft.condition(Conditions.READY, false, Conditions.STORE_DAMAGED, "damaged");

    assertThat(draft.changed()).isTrue();
    assertThat(draft.drafted(Conditions.READY)).map(Condition::getLastTransitionTime)
        .contains(LATER.toString());
    assertThat(draft.observed(Conditions.READY)).map(Condition::getStatus).contains("True");
  }

  @Test
  void aNewMessageAloneIsAChange() {
    StatusDraft message = new StatusDraft(steady(), 3L, LATER);
    message.condition(Conditions.READY, true, Conditions.RECONCILED, "serving version 2");

    assertThat(message.changed()).isTrue();
    assertThat(message.drafted(Conditions.READY)).map(Condition::getLastTransitionTime)
        .as("no flip, no new transition time").contains(T0.toString());
  }

  @Test
  void aNewGenerationIsAChange() {
    StatusDraft draft = new StatusDraft(steady(), 4L, LATER);
    draft.condition(Conditions.READY, true, Conditions.RECONCILED, "serving");

    assertThat(draft.changed()).isTrue();
    assertThat(draft.status().getObservedGeneration()).isEqualTo(4L);
  }

  @Test
  void theObservedStatusIsNeverModified() {
    ReloadlyCredentialStatus observed = steady();
    StatusDraft draft = new StatusDraft(observed, 3L, LATER);

    draft.condition(Conditions.READY, false, Conditions.STORE_DAMAGED, "damaged");
    draft.status().setTokenExpiresAt(LATER.toString());

    assertThat(observed).isEqualTo(steady());
  }

  @Test
  void noObservedStatusStartsEmptyAndAnyConditionIsATransition() {
    StatusDraft draft = new StatusDraft(null, 1L, T0);
    assertThat(draft.observed(Conditions.READY)).isEmpty();

    draft.condition(Conditions.READY, false, Conditions.SECRET_NOT_FOUND, "missing");

    assertThat(draft.changed()).isTrue();
    assertThat(draft.drafted(Conditions.READY)).map(Condition::getStatus).contains("False");
  }

  private static ReloadlyCredentialStatus steady() {
    ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();
    status.setObservedGeneration(3L);
    Conditions.set(status.getConditions(), Conditions.READY, true, Conditions.RECONCILED,
        "serving", 3L, T0);
    Conditions.set(status.getConditions(), Conditions.CREDENTIAL_VALID, true, Conditions.VALID,
        "valid", 3L, T0);
    return status;
  }
}
