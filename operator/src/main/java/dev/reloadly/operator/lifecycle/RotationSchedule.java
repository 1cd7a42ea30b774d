package dev.reloadly.operator.lifecycle;

import java.time.Duration;
import java.time.Instant;

/**
 * When the owner must rotate: due at createdAt + maxAge - renewBefore, overdue at createdAt +
 * maxAge. Pure: plain values in, plain values out.
 */
public record RotationSchedule(Duration maxAge, Duration renewBefore) {

  public Instant dueAt(CredentialVersion current) {
    return current.createdAt().plus(maxAge).minus(renewBefore);
  }

  public Instant overdueAt(CredentialVersion current) {
    return current.createdAt().plus(maxAge);
  }

  public boolean isDue(CredentialVersion current, Instant now) {
    return !now.isBefore(dueAt(current));
  }

  public boolean isOverdue(CredentialVersion current, Instant now) {
    return !now.isBefore(overdueAt(current));
  }

  /** The next moment the schedule changes state after {@code now}, for an exact requeue. */
  public Instant nextChange(CredentialVersion current, Instant now) {
    Instant due = dueAt(current);
    return now.isBefore(due) ? due : overdueAt(current);
  }
}
