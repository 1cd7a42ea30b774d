package dev.reloadly.operator.keys;

import dev.reloadly.operator.crypto.KekRing;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * When the key-encryption key rotates and when an old one may be retired. Takes plain values and
 * returns plain values: no Kubernetes, no clock of its own.
 */
public final class KekPolicy {
  /** How long an old KEK stays after it stopped being active, at the least. */
  public static final Duration RETIRE_AFTER = Duration.ofMinutes(10);

  private final Duration rotateEvery;
  private final SecureRandom random;

  public KekPolicy(Duration rotateEvery, SecureRandom random) {
    this.rotateEvery = Objects.requireNonNull(rotateEvery, "rotateEvery");
    this.random = Objects.requireNonNull(random, "random");
  }

  public Instant nextDue(KekRing ring) {
    return ring.rotationDueAt(rotateEvery);
  }

  public boolean rotationDue(KekRing ring, Instant now) {
    return ring.needsRotation(now, rotateEvery);
  }

  /** The ring with a new active KEK. */
  public KekRing rotated(KekRing ring, Instant now) {
    return ring.rotated(now, random);
  }

  /**
   * Old KEKs that may go: not active, referenced by no stored value, and inactive for at least
   * {@link #RETIRE_AFTER}. A reconcile that read the keys just before a rotation may still be
   * writing under the old KEK; the wait keeps a pass from retiring a KEK such a write needs.
   */
  public List<String> retirable(KekRing ring, Set<String> referenced, Instant now) {
    List<String> ids = new ArrayList<>();
    List<KekRing.Entry> entries = ring.entries();
    // Entries are oldest first; an entry stopped being active when its successor was created.
    for (int i = 0; i < entries.size() - 1; i++) {
      String id = entries.get(i).kek().keyId();
      Instant deactivatedAt = entries.get(i + 1).createdAt();
      if (!referenced.contains(id) && !now.isBefore(deactivatedAt.plus(RETIRE_AFTER))) {
        ids.add(id);
      }
    }
    return ids;
  }
}
