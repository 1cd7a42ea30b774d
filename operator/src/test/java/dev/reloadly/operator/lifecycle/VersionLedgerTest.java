package dev.reloadly.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VersionLedgerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void newVersionIsPendingUntilPromoted() {
    VersionLedger ledger = VersionLedger.empty().offer("fp-a", T0);
    assertThat(ledger.pending()).map(CredentialVersion::fingerprint).contains("fp-a");
    assertThat(ledger.current()).isEmpty();

    VersionLedger promoted = ledger.promote("fp-a", T0.plusSeconds(5));
    assertThat(promoted.current()).hasValueSatisfying(v -> {
      assertThat(v.fingerprint()).isEqualTo("fp-a");
      assertThat(v.validatedAt()).isEqualTo(T0.plusSeconds(5));
      assertThat(v.createdAt()).isEqualTo(T0);
    });
    assertThat(promoted.pending()).isEmpty();
  }

  @Test
  void promotionMovesCurrentToPreviousAndRetiresItAfterGrace() {
    VersionLedger ledger = VersionLedger.empty().offer("a", T0).promote("a", T0)
        .offer("b", T0.plusSeconds(60)).promote("b", T0.plusSeconds(61));
    assertThat(ledger.find("a")).map(CredentialVersion::state).contains(VersionState.PREVIOUS);
    assertThat(ledger.fingerprintsWithValues()).containsExactlyInAnyOrder("a", "b");
    Duration grace = Duration.ofHours(1);
    assertThat(ledger.nextRetirement(grace)).contains(T0.plusSeconds(61).plus(grace));

    assertThat(ledger.retireExpired(T0.plusSeconds(62), grace)).isEqualTo(ledger);
    VersionLedger later = ledger.retireExpired(T0.plusSeconds(61).plus(grace), grace);
    assertThat(later.find("a")).map(CredentialVersion::state).contains(VersionState.RETIRED);
    assertThat(later.fingerprintsWithValues()).containsExactly("b");
  }

  @Test
  void offeringAKnownVersionChangesNothingAndOnlyPendingCanBePromoted() {
    VersionLedger ledger = VersionLedger.empty().offer("a", T0).promote("a", T0);
    assertThat(ledger.offer("a", T0.plusSeconds(9))).isEqualTo(ledger);
    assertThatThrownBy(() -> ledger.promote("a", T0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void newerPendingReplacesAnUnvalidatedOne() {
    VersionLedger ledger = VersionLedger.empty().offer("a", T0).offer("b", T0.plusSeconds(1));
    assertThat(ledger.pending()).map(CredentialVersion::fingerprint).contains("b");
    assertThat(ledger.find("a")).map(CredentialVersion::state).contains(VersionState.RETIRED);
  }

  @Test
  void compromisedVersionIsNeverOfferedAgainAndIncidentResolvesOnPromotion() {
    VersionLedger ledger = VersionLedger.empty().offer("a", T0).promote("a", T0)
        .compromise("leaked in CI log", "access_token", T0.plusSeconds(10));
    assertThat(ledger.current()).isEmpty();
    assertThat(ledger.isCompromised("a")).isTrue();
    assertThat(ledger.offer("a", T0.plusSeconds(20))).isEqualTo(ledger);
    assertThat(ledger.hasIncident("leaked in CI log")).isTrue();

    VersionLedger replaced = ledger.offer("b", T0.plusSeconds(30)).promote("b", T0.plusSeconds(31));
    assertThat(replaced.incidents()).singleElement()
        .satisfies(i -> assertThat(i.resolvedAt()).isEqualTo(T0.plusSeconds(31)));
    assertThat(replaced.find("a")).map(CredentialVersion::state).contains(VersionState.COMPROMISED);
  }

  @Test
  void compromisedVersionsOutliveTheRetiredHistory() {
    VersionLedger ledger = VersionLedger.empty().offer("bad", T0).promote("bad", T0)
        .compromise("r", "access_token", T0);
    for (int i = 0; i < 12; i++) {
      ledger = ledger.offer("v" + i, T0.plusSeconds(i)).promote("v" + i, T0.plusSeconds(i))
          .retireExpired(T0.plusSeconds(10_000), Duration.ZERO);
    }
    assertThat(ledger.isCompromised("bad")).isTrue();
    assertThat(ledger.versions().stream().filter(v -> v.state() == VersionState.RETIRED))
        .hasSize(VersionLedger.HISTORY);
  }

  @Test
  void reportWithNothingServedIsClosedAndNeverHitsTheNextVersion() {
    VersionLedger ledger = VersionLedger.empty().offer("a", T0)
        .compromise("early report", "access_token", T0.plusSeconds(1));
    assertThat(ledger.hasIncident("early report")).isTrue();
    assertThat(ledger.incidents()).singleElement()
        .satisfies(i -> assertThat(i.resolvedAt()).isNotNull());
    VersionLedger promoted = ledger.promote("a", T0.plusSeconds(2));
    assertThat(promoted.current()).map(CredentialVersion::fingerprint).contains("a");
  }

  @Test
  void jsonRoundTripKeepsEverything() {
    VersionLedger ledger = VersionLedger.empty().offer("a", T0).promote("a", T0)
        .compromise("r", "access_token", T0.plusSeconds(1)).offer("b", T0.plusSeconds(2));
    assertThat(LedgerJson.read(LedgerJson.write(ledger))).isEqualTo(ledger);
    assertThatThrownBy(() -> LedgerJson.read("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void rotationScheduleIsDueBeforeMaxAgeAndOverdueAtIt() {
    RotationSchedule schedule = new RotationSchedule(Duration.ofDays(90), Duration.ofDays(14));
    CredentialVersion v = new CredentialVersion("a", VersionState.CURRENT, T0, T0, null);
    assertThat(schedule.dueAt(v)).isEqualTo(T0.plus(Duration.ofDays(76)));
    assertThat(schedule.isDue(v, T0.plus(Duration.ofDays(76)).minusSeconds(1))).isFalse();
    assertThat(schedule.isDue(v, T0.plus(Duration.ofDays(76)))).isTrue();
    assertThat(schedule.isOverdue(v, T0.plus(Duration.ofDays(90)))).isTrue();
    assertThat(schedule.nextChange(v, T0)).isEqualTo(T0.plus(Duration.ofDays(76)));
    assertThat(schedule.nextChange(v, T0.plus(Duration.ofDays(80))))
        .isEqualTo(T0.plus(Duration.ofDays(90)));
  }
}
