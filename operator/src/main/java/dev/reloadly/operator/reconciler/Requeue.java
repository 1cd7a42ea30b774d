package dev.reloadly.operator.reconciler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Collects the moments something is due and yields the earliest: requeue exactly then. */
final class Requeue {
  private final Instant now;
  private Instant earliest;

  Requeue(Instant now) {
    this.now = now;
  }

  void at(Instant when) {
    if (earliest == null || when.isBefore(earliest)) {
      earliest = when;
    }
  }

  void in(Duration delay) {
    at(now.plus(delay));
  }

  /** The delay until the earliest due moment; at least one second so a due item never spins. */
  Optional<Duration> delay() {
    if (earliest == null) {
      return Optional.empty();
    }
    Duration delay = Duration.between(now, earliest);
    return Optional.of(delay.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : delay);
  }
}
