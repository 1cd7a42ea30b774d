package dev.reloadly.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Ledgers found by StoreFuzzTest that read without an error and then threw a
 * NullPointerException in the reconcile: each is now refused as damaged, like invalid JSON.
 */
class LedgerJsonTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "null",
      "{\"versions\":[{\"state\":\"CURRENT\",\"createdAt\":\"2025-01-01T00:00:00Z\"}],\"incidents\":[]}",
      "{\"versions\":[{\"fingerprint\":\"x\",\"createdAt\":\"2025-01-01T00:00:00Z\"}],\"incidents\":[]}",
      "{\"versions\":[{\"fingerprint\":\"x\",\"state\":\"CURRENT\"}],\"incidents\":[]}",
      "{\"versions\":[{\"fingerprint\":\"x\",\"state\":\"PREVIOUS\","
          + "\"createdAt\":\"2025-01-01T00:00:00Z\"}],\"incidents\":[]}",
      "{\"versions\":[],\"incidents\":[{\"reason\":\"leaked\"}]}"})
  void incompleteLedgerIsRefusedAsDamaged(String json) {
    assertThatThrownBy(() -> LedgerJson.read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the version ledger in the store Secret")
        .hasNoCause();
  }

  @Test
  void ledgerTheOperatorWroteReadsBack() {
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    VersionLedger ledger = VersionLedger.empty().offer("hmac-sha256:aa", t)
        .promote("hmac-sha256:aa", t).offer("hmac-sha256:bb", t).promote("hmac-sha256:bb", t)
        .compromise("leaked", "token", t);

    assertThat(LedgerJson.read(LedgerJson.write(ledger))).isEqualTo(ledger);
  }
}
