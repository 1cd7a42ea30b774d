package dev.reloadly.operator.keys;

import dev.reloadly.operator.crypto.SealingKeyRing;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When the sealing key pair is renewed, and who must hear of it: the reconciler looks at sealed
 * credentials again, so status shows which ones to re-seal.
 */
public final class SealingRenewal {
  private final Duration renewEvery;
  private final SecureRandom random;
  private final Runnable renewed;

  public SealingRenewal(Duration renewEvery, SecureRandom random, Runnable renewed) {
    this.renewEvery = Objects.requireNonNull(renewEvery, "renewEvery");
    this.random = Objects.requireNonNull(random, "random");
    this.renewed = Objects.requireNonNull(renewed, "renewed");
  }

  public Instant nextDue(SealingKeyRing ring) {
    return ring.renewalDueAt(renewEvery);
  }

  /** The renewed ring when renewal is due; empty otherwise. */
  public Optional<SealingKeyRing> renewedIfDue(SealingKeyRing ring, Instant now) {
    return ring.needsRenewal(now, renewEvery)
        ? Optional.of(ring.renewed(now, random)) : Optional.empty();
  }

  /** Tells the listeners, once the renewed ring is stored and handed to reconciles. */
  void announce() {
    renewed.run();
  }
}
