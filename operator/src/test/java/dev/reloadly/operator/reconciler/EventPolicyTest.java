package dev.reloadly.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventPolicyTest {

  @Test
  void aRoutineTokenRefreshRecordsNothing() {
    assertThat(EventPolicy.decide(Conditions.TOKEN_READY,
        Optional.of(c("True", Conditions.TOKEN_VALID, "valid until 10:00")),
        c("True", Conditions.TOKEN_VALID, "valid until 11:00"))).isEmpty();
  }

  @Test
  void goingWrongIsAWarningAndRecoveringIsNormal() {
    Condition valid = c("True", Conditions.VALID, "ok");
    Condition rejected = c("False", Conditions.INVALID_CREDENTIALS, "rejected");
    assertThat(EventPolicy.decide(Conditions.CREDENTIAL_VALID, Optional.of(valid), rejected))
        .contains(new EventPolicy.Decision(true, Conditions.INVALID_CREDENTIALS, "rejected"));
    assertThat(EventPolicy.decide(Conditions.CREDENTIAL_VALID, Optional.of(rejected), valid))
        .contains(new EventPolicy.Decision(false, Conditions.VALID, "ok"));
  }

  @Test
  void aTokenFailureWhileTheOldTokenIsStillValidIsAWarning() {
    assertThat(EventPolicy.decide(Conditions.TOKEN_READY,
        Optional.of(c("True", Conditions.TOKEN_VALID, "valid")),
        c("True", Conditions.TOKEN_REQUEST_FAILED, "HTTP 503")))
        .map(EventPolicy.Decision::warning).contains(true);
  }

  @Test
  void rotationDueIsAWarningWhenItTurnsTrueOnly() {
    Condition notDue = c("False", Conditions.NOT_DUE, "due at x");
    Condition due = c("True", Conditions.DUE, "due");
    assertThat(EventPolicy.decide(Conditions.ROTATION_DUE, Optional.empty(), notDue)).isEmpty();
    assertThat(EventPolicy.decide(Conditions.ROTATION_DUE, Optional.of(notDue), due))
        .map(EventPolicy.Decision::warning).contains(true);
    assertThat(EventPolicy.decide(Conditions.ROTATION_DUE, Optional.of(due), notDue))
        .map(EventPolicy.Decision::warning).contains(false);
  }

  @Test
  void becomingReadyIsNewsButAFirstGoodConditionOtherwiseIsNot() {
    assertThat(EventPolicy.decide(Conditions.READY, Optional.empty(),
        c("True", Conditions.RECONCILED, "serves v1"))).isPresent();
    assertThat(EventPolicy.decide(Conditions.TOKEN_READY, Optional.empty(),
        c("True", Conditions.TOKEN_VALID, "valid"))).isEmpty();
    assertThat(EventPolicy.decide(Conditions.READY,
        Optional.of(c("True", Conditions.RECONCILED, "serves v1")),
        c("True", Conditions.RECONCILED, "serves v2"))).as("a new message alone").isEmpty();
  }

  private static Condition c(String status, String reason, String message) {
    return new ConditionBuilder().withType("X").withStatus(status).withReason(reason)
        .withMessage(message).build();
  }
}
