package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;

/**
 * Which condition transitions deserve a Kubernetes Event. Something going wrong is a Warning;
 * recovering from it, and a credential becoming Ready, are Normal. A change that stays good (a
 * routine token refresh, a new message) records nothing, so a healthy fleet stays quiet.
 */
final class EventPolicy {
  /** The condition types that can raise an Event; the others are in status only. */
  static final List<String> TYPES = List.of(Conditions.READY, Conditions.CREDENTIAL_VALID,
      Conditions.TOKEN_READY, Conditions.ROTATION_DUE, Conditions.ROTATION_OVERDUE,
      Conditions.COMPLIANT);
  /** Types whose Events are rate-limited per credential ({@link EventRateLimit}). */
  static final List<String> RATE_LIMITED = List.of(Conditions.COMPLIANT);

  private EventPolicy() {}

  /** An Event to record: a Warning or a Normal one, with the condition's reason and message. */
  record Decision(boolean warning, String reason, String message) {}

  static Optional<Decision> decide(String type, Optional<Condition> before, Condition after) {
    boolean same = before.map(b -> b.getStatus().equals(after.getStatus())
        && b.getReason().equals(after.getReason())).orElse(false);
    if (same) {
      return Optional.empty();
    }
    if (isBad(type, after)) {
      return Optional.of(new Decision(true, after.getReason(), after.getMessage()));
    }
    boolean recovered = before.map(b -> isBad(type, b)).orElse(false);
    boolean becameReady = type.equals(Conditions.READY)
        && before.map(b -> !Conditions.TRUE.equals(b.getStatus())).orElse(true);
    return recovered || becameReady
        ? Optional.of(new Decision(false, after.getReason(), after.getMessage()))
        : Optional.empty();
  }

  /** Rotation conditions are bad when True; the others when False, or failing while still True. */
  private static boolean isBad(String type, Condition c) {
    boolean isTrue = Conditions.TRUE.equals(c.getStatus());
    if (type.equals(Conditions.ROTATION_DUE) || type.equals(Conditions.ROTATION_OVERDUE)) {
      return isTrue;
    }
    return !isTrue || Conditions.TOKEN_REQUEST_FAILED.equals(c.getReason());
  }
}
