package dev.reloadly.operator.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.crypto.KekRing;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KekPolicyTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final KekPolicy policy = new KekPolicy(Duration.ofDays(30), new SecureRandom());

  @Test
  void rotationIsDueWhenTheActiveKekIsOldEnough() {
    KekRing ring = KekRing.generate(T0, new SecureRandom());

    assertThat(policy.rotationDue(ring, T0.plus(Duration.ofDays(30)).minusSeconds(1))).isFalse();
    assertThat(policy.rotationDue(ring, T0.plus(Duration.ofDays(30)))).isTrue();
    assertThat(policy.nextDue(ring)).isEqualTo(T0.plus(Duration.ofDays(30)));
  }

  @Test
  void anOldKekIsRetiredOnlyWhenUnreferencedAndInactiveLongEnough() {
    KekRing ring = policy.rotated(KekRing.generate(T0, new SecureRandom()), T0.plusSeconds(60));
    String old = ring.entries().get(0).kek().keyId();
    Instant deactivated = T0.plusSeconds(60);
    Instant later = deactivated.plus(KekPolicy.RETIRE_AFTER);

    assertThat(policy.retirable(ring, Set.of(), later.minusSeconds(1))).isEmpty();
    assertThat(policy.retirable(ring, Set.of(old), later)).isEmpty();
    assertThat(policy.retirable(ring, Set.of(), later)).containsExactly(old);
  }

  @Test
  void theActiveKekIsNeverRetired() {
    KekRing ring = KekRing.generate(T0, new SecureRandom());

    assertThat(policy.retirable(ring, Set.of(), T0.plus(Duration.ofDays(365)))).isEmpty();
  }
}
