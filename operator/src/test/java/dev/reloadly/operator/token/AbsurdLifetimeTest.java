package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token answers with a lifetime no token can have, found by TokenResponseFuzzTest: an expires_in
 * past the last instant threw ArithmeticException out of requestToken, and a lifetime of zero or
 * less came back as an issued token that had expired on arrival. Both are now RetryLater.
 */
class AbsurdLifetimeTest {
  static final Instant NOW = Instant.parse("2025-05-01T00:00:00Z");

  private HttpServer server;
  private volatile String body;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"access_token\":\"opaque-token\",\"expires_in\":9223372036854775807}",
      "{\"access_token\":\"opaque-token\",\"expires_in\":31556952000000000}",
      "{\"access_token\":\"opaque-token\",\"expires_in\":0}",
      "{\"access_token\":\"opaque-token\",\"expires_in\":-3600}",
      "{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjEwMDB9.c2ln\",\"expires_in\":3600}"})
  void lifetimeNoTokenCanHaveIsRetriedNotServed(String answer) {
    body = answer;
    HttpReloadlyTokenClient client = new HttpReloadlyTokenClient(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/oauth/token"), Clock.fixed(NOW, ZoneOffset.UTC));

    TokenResult result = client.requestToken("id".toCharArray(), "secret".toCharArray(),
        "https://topups-sandbox.reloadly.com");

    assertThat(result).isInstanceOfSatisfying(TokenResult.RetryLater.class, retry ->
        assertThat(retry.cause()).startsWith("token response with").doesNotContain("opaque-token")
            .doesNotContain("eyJ"));
  }

  static {
    // The JWT above carries exp 1000 (1970): long past.
    assertThat(new String(Base64.getUrlDecoder().decode("eyJleHAiOjEwMDB9"),
        StandardCharsets.UTF_8)).isEqualTo("{\"exp\":1000}");
  }
}
