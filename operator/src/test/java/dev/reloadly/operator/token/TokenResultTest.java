package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenResultTest {

  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  private static TokenResult.Issued issued(String token) {
    return new TokenResult.Issued(token.toCharArray(), "Bearer", "developer", NOW, NOW.plus(Duration.ofDays(1)));
  }

  @Test
  void issuedToStringNeverPrintsTheToken() {
    TokenResult.Issued issued = issued("CANARY-eyJhbGciOi.payload.sig");

    assertThat(issued.toString()).doesNotContain("CANARY").contains("redacted").contains("expiresAt=2025-01-02T00:00:00Z");
  }

  @Test
  void issuedComparesTokensByContent() {
    assertThat(issued("abc")).isEqualTo(issued("abc")).hasSameHashCodeAs(issued("abc")).isNotEqualTo(issued("abd"));
  }

  @Test
  void wipeOverwritesTheToken() {
    TokenResult.Issued issued = issued("abc");

    issued.wipe();

    assertThat(issued.accessToken()).containsOnly('\0');
  }

  @Test
  void negativeRetryDelayBecomesZero() {
    assertThat(new TokenResult.RetryLater(Duration.ofSeconds(-3), "x").after()).isZero();
  }
}
