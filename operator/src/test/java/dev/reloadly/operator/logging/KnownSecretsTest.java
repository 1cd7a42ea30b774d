package dev.reloadly.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.token.MutableClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

/** The registry finds a registered value in every spelling, and lets it go when it should. */
class KnownSecretsTest {
  private static final String SECRET = "s3cr3t/with+odd=chars&\"quotes\" here";
  private static final String R = Redactor.REDACTED;

  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T00:00:00Z"));
  private final KnownSecrets secrets = new KnownSecrets(clock, new Random(7), 3);

  @Test
  void findsARegisteredValueInEverySpelling() {
    secrets.register(SECRET.toCharArray());
    byte[] utf8 = SECRET.getBytes(StandardCharsets.UTF_8);
    List<String> spellings = List.of(SECRET,
        Base64.getEncoder().encodeToString(utf8),
        Base64.getEncoder().withoutPadding().encodeToString(utf8),
        Base64.getUrlEncoder().encodeToString(utf8),
        Base64.getUrlEncoder().withoutPadding().encodeToString(utf8),
        URLEncoder.encode(SECRET, StandardCharsets.UTF_8),
        URLEncoder.encode(SECRET, StandardCharsets.UTF_8).replace("+", "%20"),
        SECRET.replace("\"", "\\\""),
        MessageFormatter.format("{}", SECRET.toCharArray()).getMessage());
    for (String spelling : spellings) {
      assertThat(secrets.redact("before " + spelling + " after", R))
          .as(spelling).isEqualTo("before " + R + " after");
    }
  }

  @Test
  void theCallersArrayIsNeitherKeptNorChanged() {
    char[] value = SECRET.toCharArray();
    secrets.register(value);
    assertThat(value).isEqualTo(SECRET.toCharArray());
    Arrays.fill(value, '\0');
    assertThat(secrets.redact(SECRET, R)).isEqualTo(R);
  }

  @Test
  void findsBinaryKeyMaterialInBase64AndHex() {
    byte[] key = new byte[32];
    new Random(3).nextBytes(key);
    secrets.register(key);
    String hex = java.util.HexFormat.of().formatHex(key);
    assertThat(secrets.redact("k=" + Base64.getEncoder().encodeToString(key), R))
        .isEqualTo("k=" + R);
    assertThat(secrets.redact(hex + " " + hex.toUpperCase(), R)).isEqualTo(R + " " + R);
    assertThat(secrets.redact(Arrays.toString(key), R)).isEqualTo(R);
    secrets.forget(key);
    assertThat(secrets.redact(hex, R)).isEqualTo(hex);
  }

  @Test
  void aStrippedValueIsFoundWithoutItsNewline() {
    secrets.register("from-a-file-123\n".toCharArray());
    assertThat(secrets.redact("id from-a-file-123 read", R)).isEqualTo("id " + R + " read");
  }

  @Test
  void shortValuesAreNotHeldForTheyWouldRedactWords() {
    secrets.register("admin".toCharArray());
    assertThat(secrets.size()).isZero();
    assertThat(secrets.redact("admin logged in", R)).isEqualTo("admin logged in");
  }

  @Test
  void overlappingAndAdjacentMatchesBecomeOneReplacementEach() {
    secrets.register("abcdefgh".toCharArray());
    secrets.register("defghijk".toCharArray());
    assertThat(secrets.redact("xabcdefghijkx abcdefghabcdefgh", R))
        .isEqualTo("x" + R + "x " + R + R);
  }

  @Test
  void forgetStopsRedactingAValue() {
    secrets.register("retired-secret-1".toCharArray());
    secrets.forget("retired-secret-1".toCharArray());
    assertThat(secrets.size()).isZero();
    assertThat(secrets.redact("retired-secret-1", R)).isEqualTo("retired-secret-1");
  }

  @Test
  void aTokenGoesAfterItExpiresAtTheNextRegistration() {
    secrets.register("token-expiring-soon".toCharArray(), clock.instant().plusSeconds(60));
    assertThat(secrets.redact("token-expiring-soon", R)).isEqualTo(R);
    clock.advance(Duration.ofMinutes(2));
    secrets.register("another-secret-1".toCharArray());
    assertThat(secrets.size()).isEqualTo(1);
    assertThat(secrets.redact("token-expiring-soon", R)).isEqualTo("token-expiring-soon");
  }

  @Test
  void anAlreadyExpiredTokenIsNotHeld() {
    secrets.register("token-already-expired".toCharArray(), clock.instant().minusSeconds(1));
    assertThat(secrets.size()).isZero();
  }

  @Test
  void pastCapacityTheLeastRecentlyRegisteredGoesFirst() {
    secrets.register("first-secret".toCharArray());
    secrets.register("second-secret".toCharArray());
    secrets.register("third-secret".toCharArray());
    secrets.register("first-secret".toCharArray()); // seen again: now the most recent
    secrets.register("fourth-secret".toCharArray());
    assertThat(secrets.size()).isEqualTo(3);
    assertThat(secrets.redact("first-secret second-secret third-secret fourth-secret", R))
        .isEqualTo(R + " second-secret " + R + " " + R);
  }

  @Test
  void registeringAgainKeepsTheLaterExpiry() {
    secrets.register("token-refreshed-1".toCharArray(), clock.instant().plusSeconds(60));
    secrets.register("token-refreshed-1".toCharArray(), clock.instant().plusSeconds(600));
    clock.advance(Duration.ofMinutes(5));
    secrets.register("unrelated-secret".toCharArray());
    assertThat(secrets.redact("token-refreshed-1", R)).isEqualTo(R);
  }

  @Test
  void logLinesAreRedactedWhileValuesAreRegistered() {
    KnownSecrets shared = new KnownSecrets(clock, new Random(1), 10_000);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      values.add("concurrent-secret-" + i);
    }
    CompletableFuture<Void> registering = CompletableFuture.runAsync(
        () -> values.forEach(v -> shared.register(v.toCharArray())));
    while (!registering.isDone()) {
      // Never an exception, never a half-built table: a line is redacted or not yet.
      assertThat(shared.redact("x concurrent-secret-5 y", R))
          .isIn("x concurrent-secret-5 y", "x " + R + " y");
    }
    registering.join();
    assertThat(shared.redact("concurrent-secret-1999", R)).isEqualTo(R);
  }
}
