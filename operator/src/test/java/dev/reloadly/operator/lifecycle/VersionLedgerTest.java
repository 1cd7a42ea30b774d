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
  void reportWithNothingServedCompromisesThePendingVersionWhichIsNeverPromoted() {
    VersionLedger ledger = VersionLedger.empty().offer("a", T0)
        .compromise("early report", "access_token", T0.plusSeconds(1));
    assertThat(ledger.isCompromised("a")).isTrue();
    assertThat(ledger.pending()).isEmpty();
    assertThatThrownBy(() -> ledger.promote("a", T0.plusSeconds(2)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(ledger.offer("a", T0.plusSeconds(3))).isEqualTo(ledger);
    assertThat(ledger.incidents()).singleElement().satisfies(i -> {
      assertThat(i.fingerprint()).isEqualTo("a");
      assertThat(i.resolvedAt()).isNull();
    });

    VersionLedger replaced = ledger.offer("b", T0.plusSeconds(4)).promote("b", T0.plusSeconds(5));
    assertThat(replaced.current()).map(CredentialVersion::fingerprint).contains("b");
    assertThat(replaced.incidents()).singleElement()
        .satisfies(i -> assertThat(i.resolvedAt()).isEqualTo(T0.plusSeconds(5)));
  }

  @Test
  void reportWithNoVersionKnownIsRecordedClosedAndHandled() {
    VersionLedger ledger = VersionLedger.empty().compromise("too early", "x", T0);
    assertThat(ledger.incidents()).singleElement().satisfies(i -> {
      assertThat(i.fingerprint()).isNull();
      assertThat(i.resolvedAt()).isEqualTo(T0);
    });
    assertThat(ledger.handled("too early")).isTrue();
    assertThat(ledger.offer("a", T0.plusSeconds(1)).pending()).isPresent();
  }

  @Test
  void listedVersionsAreRefusedWhetherPendingOrCurrent() {
    VersionLedger serving = VersionLedger.empty().offer("a", T0).promote("a", T0)
        .offer("b", T0.plusSeconds(1));
    assertThat(serving.refuse(fp -> false, "listed", T0)).isSameAs(serving);

    VersionLedger pendingRefused = serving.refuse("b"::equals, "listed", T0.plusSeconds(2));
    assertThat(pendingRefused.isCompromised("b")).isTrue();
    assertThat(pendingRefused.current()).map(CredentialVersion::fingerprint).contains("a");
    assertThat(pendingRefused.incidents()).isEmpty();

    VersionLedger currentRefused = serving.refuse("a"::equals, "listed", T0.plusSeconds(2));
    assertThat(currentRefused.current()).isEmpty();
    assertThat(currentRefused.isCompromised("a")).isTrue();
    assertThat(currentRefused.incidents()).singleElement().satisfies(i -> {
      assertThat(i.fingerprint()).isEqualTo("a");
      assertThat(i.reason()).isEqualTo("listed");
      assertThat(i.resolvedAt()).isNull();
    });
  }

  @Test
  void onlyTheNewestIncidentsAreKeptAndATrimmedReportNeverFiresAgain() {
    VersionLedger ledger = VersionLedger.empty();
    for (int i = 0; i < 8; i++) {
      ledger = ledger.offer("v" + i, T0.plusSeconds(i * 10L)).promote("v" + i, T0.plusSeconds(i * 10L))
          .compromise("report " + i, "x", T0.plusSeconds(i * 10L + 1));
    }
    VersionLedger trimmed = ledger.keepIncidents(3);
    assertThat(trimmed.incidents()).extracting(Incident::reason)
        .containsExactly("report 5", "report 6", "report 7");
    // The annotation still holds the last value: it was handled, although...
    assertThat(trimmed.handled("report 7")).isTrue();
    // ...older values that dropped out would count as new reports, as a changed annotation does.
    assertThat(trimmed.handled("report 1")).isFalse();
    assertThat(trimmed.keepIncidents(3)).isSameAs(trimmed);

    VersionLedger listedLast = trimmed.refuse("v7"::equals, "listed", T0.plusSeconds(100));
    assertThat(listedLast.incidents()).isEqualTo(trimmed.incidents());
    VersionLedger serving = trimmed.offer("w", T0.plusSeconds(200)).promote("w", T0.plusSeconds(200))
        .refuse("w"::equals, "listed", T0.plusSeconds(201)).keepIncidents(1);
    assertThat(serving.incidents()).extracting(Incident::reason).containsExactly("listed");
    assertThat(LedgerJson.read(LedgerJson.write(serving)).handled("report 7")).isTrue();
    // Every transition keeps it, not only the ones that touch incidents.
    assertThat(serving.retireExpired(T0.plusSeconds(999), Duration.ZERO).handled("report 7"))
        .isTrue();
    assertThat(serving.offer("z", T0.plusSeconds(300)).validatedCurrent(T0.plusSeconds(301))
        .handled("report 7")).isTrue();

    VersionLedger trimmedToOne = ledger.keepIncidents(1);
    assertThat(trimmedToOne.incidents()).extracting(Incident::reason).containsExactly("report 7");
    assertThat(LedgerJson.read(LedgerJson.write(trimmedToOne)).handled("report 7")).isTrue();
  }

  @Test
  void trimmingKeepsAnOpenIncidentEvenWhenItIsOld() {
    VersionLedger ledger = VersionLedger.empty().offer("a", T0).promote("a", T0)
        .compromise("open one", "x", T0.plusSeconds(1));
    for (int i = 0; i < 3; i++) {
      ledger = ledger.compromise("nothing known " + i, "x", T0.plusSeconds(2 + i));
    }
    assertThat(ledger.keepIncidents(1).incidents()).extracting(Incident::reason)
        .containsExactly("open one", "nothing known 2");
  }

  @Test
  void aLedgerWrittenBeforeLastReportTreatsItsNewestIncidentAsHandled() {
    String legacy = "{\"versions\":[{\"fingerprint\":\"a\",\"state\":\"COMPROMISED\","
        + "\"createdAt\":\"2026-01-01T00:00:00Z\"}],\"incidents\":[{\"reportedAt\":"
        + "\"2026-01-01T00:00:01Z\",\"reason\":\"old report\",\"fingerprint\":\"a\","
        + "\"removed\":\"x\"}]}";
    VersionLedger ledger = LedgerJson.read(legacy);
    assertThat(ledger.lastReport()).isEqualTo(VersionLedger.digest("old report"));
    assertThat(ledger.handled("old report")).isTrue();
    assertThat(ledger.compromise("new", "x", T0).lastReport())
        .isEqualTo(VersionLedger.digest("new"));
  }

  @Test
  void aReportTextIsOneCappedLine() {
    assertThat(ReportReason.clean(" leaked\nin\u001b[31m CI ")).isEqualTo("leaked in [31m CI");
    assertThat(ReportReason.clean("x".repeat(5000))).hasSize(ReportReason.MAX_CHARS);
    assertThat(ReportReason.clean(null)).isNull();
    assertThat(ReportReason.problem("two\nlines")).contains("must be one line of text");
    assertThat(ReportReason.problem("fine")).isEmpty();
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
