package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JwtExpiryTest {

  private static String segment(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static char[] jwt(String payloadJson) {
    return (segment("{\"alg\":\"RS256\"}") + "." + segment(payloadJson) + ".c2lnbmF0dXJl").toCharArray();
  }

  @Test
  void readsExp() {
    assertThat(JwtExpiry.readExp(jwt("{\"sub\":\"x\",\"exp\":1735776000}")))
        .contains(Instant.parse("2025-01-02T00:00:00Z"));
  }

  @Test
  void readsExpWithPaddingLengthsThatNeedNone() {
    // Payloads of different lengths exercise every base64 remainder without '=' padding.
    assertThat(JwtExpiry.readExp(jwt("{\"exp\":1}"))).contains(Instant.ofEpochSecond(1));
    assertThat(JwtExpiry.readExp(jwt("{\"exp\":12}"))).contains(Instant.ofEpochSecond(12));
    assertThat(JwtExpiry.readExp(jwt("{\"exp\":123}"))).contains(Instant.ofEpochSecond(123));
  }

  @Test
  void missingOrNonNumericExpIsEmpty() {
    assertThat(JwtExpiry.readExp(jwt("{\"sub\":\"x\"}"))).isEmpty();
    assertThat(JwtExpiry.readExp(jwt("{\"exp\":\"soon\"}"))).isEmpty();
    assertThat(JwtExpiry.readExp(jwt("[1,2]"))).isEmpty();
    assertThat(JwtExpiry.readExp(null)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "opaque-token", "a.b", "a.b.c.d", ".e30.", "a.!!!.c", "a.e30", "x.\u00e9.y"})
  void malformedIsEmpty(String token) {
    assertThat(JwtExpiry.readExp(token.toCharArray())).isEmpty();
  }
}
