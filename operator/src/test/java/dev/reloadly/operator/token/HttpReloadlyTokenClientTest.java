package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.api.v1alpha1.Product;
import dev.reloadly.operator.simulator.ReloadlySimulator;
import dev.reloadly.operator.simulator.SimulatedToken;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpReloadlyTokenClientTest {

  private static final String CLIENT_ID = "client-a";
  private static final String SECRET = "s3cr3t-\"quoted\"-\\-\u00fcn\u00efcode";
  private static final String SANDBOX_AIRTIME = Product.AIRTIME.baseUrl(Environment.SANDBOX);
  private static final String LIVE_GIFTCARDS = Product.GIFTCARDS.baseUrl(Environment.LIVE);

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private ReloadlySimulator simulator;
  private HttpReloadlyTokenClient client;

  @BeforeEach
  void start() {
    simulator = new ReloadlySimulator(clock).allowCredential(CLIENT_ID, SECRET).start();
    client = new HttpReloadlyTokenClient(simulator.url(), clock);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private TokenResult request(String secret, String audience) {
    return client.requestToken(CLIENT_ID.toCharArray(), secret.toCharArray(), audience);
  }

  @Test
  void validPairIsIssuedWithSandboxLifetime() {
    TokenResult result = request(SECRET, SANDBOX_AIRTIME);

    assertThat(result).isInstanceOfSatisfying(TokenResult.Issued.class, issued -> {
      assertThat(issued.tokenType()).isEqualTo("Bearer");
      assertThat(issued.scope()).isEqualTo("developer");
      assertThat(issued.issuedAt()).isEqualTo(clock.instant());
      assertThat(issued.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
      SimulatedToken minted = simulator.issuedTokens().get(0);
      assertThat(new String(issued.accessToken())).isEqualTo(minted.accessToken());
    });
  }

  @Test
  void liveTokensLastSixtyDays() {
    TokenResult result = request(SECRET, LIVE_GIFTCARDS);

    assertThat(result).isInstanceOfSatisfying(TokenResult.Issued.class,
        issued -> assertThat(issued.lifetime()).isEqualTo(Duration.ofDays(60)));
  }

  @Test
  void configuredShortLifetimeIsReported() {
    simulator.tokenLifetime(Duration.ofSeconds(5));

    TokenResult result = request(SECRET, SANDBOX_AIRTIME);

    assertThat(result).isInstanceOfSatisfying(TokenResult.Issued.class,
        issued -> assertThat(issued.expiresAt()).isEqualTo(clock.instant().plusSeconds(5)));
  }

  @Test
  void earlierJwtExpWinsOverExpiresIn() {
    simulator.jwtExpiryShift(Duration.ofHours(-1));

    TokenResult result = request(SECRET, SANDBOX_AIRTIME);

    assertThat(result).isInstanceOfSatisfying(TokenResult.Issued.class,
        issued -> assertThat(issued.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(23))));
  }

  @Test
  void wrongSecretIsRejectedAsInvalidCredentials() {
    TokenResult result = request("wrong", SANDBOX_AIRTIME);

    assertThat(result).isEqualTo(new TokenResult.Rejected(TokenResult.Rejected.INVALID_CREDENTIALS, 401));
  }

  @Test
  void rotatedSecretInvalidatesTheOldOne() {
    simulator.rotateCredential(CLIENT_ID, "new-secret");

    assertThat(request(SECRET, SANDBOX_AIRTIME)).isInstanceOf(TokenResult.Rejected.class);
    assertThat(request("new-secret", SANDBOX_AIRTIME)).isInstanceOf(TokenResult.Issued.class);
  }

  @Test
  void unknownAudienceIsRejectedAsInvalidAudience() {
    TokenResult result = request(SECRET, "https://example.com");

    assertThat(result).isInstanceOfSatisfying(TokenResult.Rejected.class, rejected -> {
      assertThat(rejected.invalidAudience()).isTrue();
      assertThat(rejected.httpStatus()).isIn(400, 401);
    });
  }

  @Test
  void rateLimitWithRetryAfterAsksForAtLeastThatDelay() {
    simulator.rateLimitNext(1, Duration.ofSeconds(42));

    TokenResult result = request(SECRET, SANDBOX_AIRTIME);

    assertThat(result).isInstanceOfSatisfying(TokenResult.RetryLater.class, retry -> {
      assertThat(retry.after()).isGreaterThanOrEqualTo(Duration.ofSeconds(42));
      assertThat(retry.cause()).contains("429");
    });
    assertThat(request(SECRET, SANDBOX_AIRTIME)).isInstanceOf(TokenResult.Issued.class);
  }

  @Test
  void rateLimitResetHeaderIsHonouredWithoutRetryAfter() {
    simulator.rateLimitNextWithoutRetryAfter(1, Duration.ofSeconds(30));

    TokenResult result = request(SECRET, SANDBOX_AIRTIME);

    assertThat(result).isInstanceOfSatisfying(TokenResult.RetryLater.class,
        retry -> assertThat(retry.after()).isEqualTo(Duration.ofSeconds(30)));
  }

  @Test
  void serverErrorIsRetryLater() {
    simulator.failNext(1, 503);

    TokenResult result = request(SECRET, SANDBOX_AIRTIME);

    assertThat(result).isInstanceOfSatisfying(TokenResult.RetryLater.class,
        retry -> assertThat(retry.cause()).contains("503"));
  }

  @Test
  void connectionRefusedIsRetryLater() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var unreachable = new HttpReloadlyTokenClient(URI.create("http://127.0.0.1:" + closedPort + "/oauth/token"), clock);

    TokenResult result = unreachable.requestToken(CLIENT_ID.toCharArray(), SECRET.toCharArray(), SANDBOX_AIRTIME);

    assertThat(result).isInstanceOf(TokenResult.RetryLater.class);
  }

  @Test
  void aProxyCarriesTheRequest() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    // The auth URL points at nothing; only the proxy (here the simulator, which takes the
    // absolute-form request line a proxy gets) can answer.
    var proxied = HttpReloadlyTokenClient.viaProxy(
        URI.create("http://127.0.0.1:" + closedPort + "/oauth/token"), clock,
        new java.net.InetSocketAddress("127.0.0.1", simulator.port()));

    TokenResult result = proxied.requestToken(CLIENT_ID.toCharArray(), SECRET.toCharArray(), SANDBOX_AIRTIME);

    assertThat(result).isInstanceOf(TokenResult.Issued.class);
  }

  @Test
  void a429IsThrottledAndOtherRetriesAreNot() {
    simulator.rateLimitNext(1, Duration.ofSeconds(1));
    simulator.failNext(1, 503);
    TokenResult first = client.requestToken(CLIENT_ID.toCharArray(), SECRET.toCharArray(), SANDBOX_AIRTIME);
    TokenResult second = client.requestToken(CLIENT_ID.toCharArray(), SECRET.toCharArray(), SANDBOX_AIRTIME);

    assertThat(java.util.List.of(first, second)).allSatisfy(
        r -> assertThat(r).isInstanceOf(TokenResult.RetryLater.class));
    assertThat(java.util.List.of(first, second).stream()
        .map(r -> ((TokenResult.RetryLater) r).throttled()).toList())
        .containsExactlyInAnyOrder(true, false);
  }

  @Test
  void slowServerTimesOutAsRetryLater() {
    simulator.latency(Duration.ofMillis(500));
    var impatient = new HttpReloadlyTokenClient(simulator.url(), clock, Duration.ofSeconds(1), Duration.ofMillis(100));

    TokenResult result = impatient.requestToken(CLIENT_ID.toCharArray(), SECRET.toCharArray(), SANDBOX_AIRTIME);

    assertThat(result).isInstanceOfSatisfying(TokenResult.RetryLater.class,
        retry -> assertThat(retry.cause()).contains("timed out"));
  }

  @Test
  void plainHttpToARemoteHostIsRefused() {
    assertThatThrownBy(() -> new HttpReloadlyTokenClient(URI.create("http://auth.reloadly.com/oauth/token"), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must use https");
  }

  @Test
  void secretAndTokenNeverAppearInResultsOrCauses() {
    String canary = "CANARY-" + SECRET;
    simulator.allowCredential(CLIENT_ID, canary);
    TokenResult issued = request(canary, SANDBOX_AIRTIME);
    String token = simulator.issuedTokens().get(0).accessToken();
    simulator.failNext(1, 500);
    TokenResult failed = request(canary, SANDBOX_AIRTIME);
    TokenResult rejected = request(canary + "x", SANDBOX_AIRTIME);

    for (TokenResult result : new TokenResult[] {issued, failed, rejected}) {
      assertThat(result.toString()).doesNotContain(token).doesNotContain("CANARY").doesNotContain(token.substring(0, 20));
    }
  }
}
