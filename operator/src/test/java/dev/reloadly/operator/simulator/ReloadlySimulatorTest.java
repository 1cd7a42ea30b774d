package dev.reloadly.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.token.JwtExpiry;
import dev.reloadly.operator.token.MutableClock;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenRequestLimiter;
import dev.reloadly.operator.token.TokenResult;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReloadlySimulatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LIVE = "https://topups.reloadly.com";
  private static final String SANDBOX = "https://giftcards-sandbox.reloadly.com";

  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ReloadlySimulator simulator;

  @BeforeEach
  void start() {
    simulator = new ReloadlySimulator(clock).allowCredential("id", "secret").start();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private HttpResponse<String> post(String clientId, String secret, String audience) throws Exception {
    ObjectNode body = JSON.createObjectNode()
        .put("client_id", clientId)
        .put("client_secret", secret)
        .put("grant_type", "client_credentials")
        .put("audience", audience);
    HttpRequest request = HttpRequest.newBuilder(simulator.url())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsToLoopbackOnAnEphemeralPort() {
    assertThat(simulator.url().toString()).matches("http://127\\.0\\.0\\.1:\\d+/oauth/token");
    assertThat(simulator.port()).isPositive();
  }

  @Test
  void alsoAcceptTakesASecondSecretUntilARotationOrRevocation() throws Exception {
    simulator.allowCredential("two", "first").alsoAccept("two", "second");
    assertThat(post("two", "first", SANDBOX).statusCode()).isEqualTo(200);
    assertThat(post("two", "second", SANDBOX).statusCode()).isEqualTo(200);
    assertThat(post("two", "third", SANDBOX).statusCode()).isEqualTo(401);

    simulator.rotateCredential("two", "third");
    assertThat(post("two", "second", SANDBOX).statusCode()).isEqualTo(401);
    assertThat(post("two", "third", SANDBOX).statusCode()).isEqualTo(200);
  }

  @Test
  void issuesJwtShapedTokensWithReloadlysResponseShape() throws Exception {
    HttpResponse<String> response = post("id", "secret", SANDBOX);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(json.get("expires_in").asLong()).isEqualTo(86_400);
    assertThat(json.has("scope")).isTrue();
    String token = json.get("access_token").asText();
    assertThat(token.split("\\.")).hasSize(3);
    JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(payload.get("aud").asText()).isEqualTo(SANDBOX);
    assertThat(payload.get("sub").asText()).startsWith("id");
    assertThat(payload.get("iat").asLong()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(JwtExpiry.readExp(token.toCharArray())).contains(clock.instant().plus(Duration.ofDays(1)));
  }

  @Test
  void liveAudienceGetsSixtyDayTokensAndExpiriesAreRecorded() throws Exception {
    post("id", "secret", LIVE);

    assertThat(simulator.issuedTokens()).singleElement().satisfies(token -> {
      assertThat(token.clientId()).isEqualTo("id");
      assertThat(token.audience()).isEqualTo(LIVE);
      assertThat(token.expiresAt()).isEqualTo(clock.instant().plusSeconds(5_184_000));
      assertThat(token.toString()).doesNotContain(token.accessToken());
    });
  }

  @Test
  void lifetimeCanBeOverriddenPerEnvironment() throws Exception {
    simulator.tokenLifetime(Environment.SANDBOX, Duration.ofSeconds(5));

    assertThat(JSON.readTree(post("id", "secret", SANDBOX).body()).get("expires_in").asLong()).isEqualTo(5);
    assertThat(JSON.readTree(post("id", "secret", LIVE).body()).get("expires_in").asLong()).isEqualTo(5_184_000);
  }

  @Test
  void wrongPairGetsReloadlysInvalidCredentialsShape() throws Exception {
    HttpResponse<String> response = post("id", "nope", LIVE);

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.get("errorCode").asText()).isEqualTo("INVALID_CREDENTIALS");
    assertThat(json.get("message").asText()).isEqualTo("Access Denied");
    assertThat(json.get("path").asText()).isEqualTo("/oauth/token");
    assertThat(json.has("timeStamp")).isTrue();
    assertThat(json.get("infoLink").isNull()).isTrue();
    assertThat(json.get("details").isArray()).isTrue();
  }

  @Test
  void unknownAudienceIsInvalidAudienceAndExtraAudiencesCanBeAdded() throws Exception {
    assertThat(JSON.readTree(post("id", "secret", "https://example.com").body()).get("errorCode").asText())
        .isEqualTo("INVALID_AUDIENCE");

    simulator.addAudience("https://example.com", Environment.SANDBOX);

    assertThat(post("id", "secret", "https://example.com").statusCode()).isEqualTo(200);
  }

  @Test
  void rotateAndRevokeChangeWhatIsAccepted() throws Exception {
    simulator.rotateCredential("id", "secret-2");
    assertThat(post("id", "secret", LIVE).statusCode()).isEqualTo(401);
    assertThat(post("id", "secret-2", LIVE).statusCode()).isEqualTo(200);

    simulator.revokeCredential("id");
    assertThat(post("id", "secret-2", LIVE).statusCode()).isEqualTo(401);
  }

  @Test
  void rateLimitNextSendsRateLimitHeaders() throws Exception {
    simulator.rateLimitNext(2, Duration.ofSeconds(10));

    HttpResponse<String> first = post("id", "secret", LIVE);
    post("id", "secret", LIVE);
    HttpResponse<String> third = post("id", "secret", LIVE);

    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("Retry-After")).contains("10");
    assertThat(first.headers().firstValue("X-RateLimit-Remaining")).contains("0");
    assertThat(first.headers().firstValue("X-RateLimit-Limit")).isPresent();
    assertThat(first.headers().firstValue("X-RateLimit-Reset"))
        .contains(Long.toString(clock.instant().plusSeconds(10).getEpochSecond()));
    assertThat(third.statusCode()).isEqualTo(200);
  }

  @Test
  void fixedWindowRateLimitFollowsTheClock() throws Exception {
    simulator.rateLimit(2, Duration.ofMinutes(1));

    assertThat(post("id", "secret", LIVE).statusCode()).isEqualTo(200);
    assertThat(post("id", "secret", LIVE).statusCode()).isEqualTo(200);
    HttpResponse<String> limited = post("id", "secret", LIVE);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("60");

    clock.advance(Duration.ofMinutes(1));
    assertThat(post("id", "secret", LIVE).statusCode()).isEqualTo(200);
  }

  @Test
  void failNextAnswersWithTheServerErrorThenRecovers() throws Exception {
    simulator.failNext(1, 502);

    assertThat(post("id", "secret", LIVE).statusCode()).isEqualTo(502);
    assertThat(post("id", "secret", LIVE).statusCode()).isEqualTo(200);
  }

  @Test
  void countsRequestsInTotalAndPerClient() throws Exception {
    post("id", "secret", LIVE);
    post("id", "wrong", LIVE);
    post("other", "x", LIVE);

    assertThat(simulator.totalRequests()).isEqualTo(3);
    assertThat(simulator.requestsFor("id")).isEqualTo(2);
    assertThat(simulator.requestsFor("other")).isEqualTo(1);
    assertThat(simulator.requestsFor("nobody")).isZero();
    assertThat(simulator.maxInFlight()).isEqualTo(1);

    simulator.resetCounters();
    assertThat(simulator.totalRequests()).isZero();
    assertThat(simulator.issuedTokens()).isEmpty();
  }

  /** A request stops counting as in flight before its answer can reach the client. */
  @Test
  void aRequestIsNoLongerInFlightOnceItsAnswerArrived() throws Exception {
    int stillCounted = 0;
    for (int i = 0; i < 50; i++) {
      assertThat(post("id", "secret", LIVE).statusCode()).isEqualTo(200);
      if (simulator.inFlight() != 0) {
        stillCounted++;
      }
    }

    assertThat(stillCounted).as("answers received while the simulator still counted the request")
        .isZero();
  }

  /**
   * Callers take turns through a limiter of one, each on its own kept-alive connection. The limiter
   * lets the next caller go as soon as the previous one has its whole answer, so a simulator that
   * still counted a request after its last byte was sent would see two in flight.
   */
  @Test
  void requestsHandedOverByALimiterOfOneNeverCountAsConcurrent() throws Exception {
    ReloadlyTokenClient client = new TokenRequestLimiter(1, Duration.ofSeconds(30))
        .limit(new HttpReloadlyTokenClient(simulator.url(), clock));
    int callers = 4;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<Long>> issued = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        issued.add(pool.submit(() -> {
          long count = 0;
          for (int i = 0; i < each; i++) {
            if (client.requestToken("id".toCharArray(), "secret".toCharArray(), LIVE)
                instanceof TokenResult.Issued) {
              count++;
            }
          }
          return count;
        }));
      }
      for (Future<Long> f : issued) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(each);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(simulator.totalRequests()).isEqualTo(callers * each);
    assertThat(simulator.maxInFlight()).isEqualTo(1);
    assertThat(simulator.inFlight()).isZero();
  }

  @Test
  void malformedBodyAndWrongMethodAreClientErrors() throws Exception {
    HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(simulator.url())
        .POST(HttpRequest.BodyPublishers.ofString("not json", StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(simulator.url()).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void garbageNextAnswersTwoHundredWithBodiesThatAreNoTokenAnswerThenRecovers() throws Exception {
    simulator.garbageNext(1, ReloadlySimulator.Garbage.NOT_JSON)
        .garbageNext(1, ReloadlySimulator.Garbage.WRONG_TYPES)
        .garbageNext(1, ReloadlySimulator.Garbage.HUGE)
        .garbageNext(1, ReloadlySimulator.Garbage.EXPIRES_AT_ONCE)
        .garbageNext(1, ReloadlySimulator.Garbage.EXPIRY_OVERFLOW);

    HttpResponse<String> html = post("id", "secret", SANDBOX);
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.headers().firstValue("Content-Type")).contains("text/html");
    assertThat(html.body()).startsWith("<html>");
    JsonNode wrong = JSON.readTree(post("id", "secret", SANDBOX).body());
    assertThat(wrong.get("access_token").isObject()).isTrue();
    assertThat(wrong.get("expires_in").isTextual()).isTrue();
    HttpResponse<String> huge = post("id", "secret", SANDBOX);
    assertThat(huge.body()).hasSize(ReloadlySimulator.HUGE_BODY_BYTES);
    assertThat(JSON.readTree(huge.body()).get("expires_in").asLong()).isEqualTo(86_400);
    assertThat(JSON.readTree(post("id", "secret", SANDBOX).body()).get("expires_in").asLong())
        .isZero();
    assertThat(JSON.readTree(post("id", "secret", SANDBOX).body()).get("expires_in").asLong())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(simulator.issuedTokens()).as("garbage issues nothing").isEmpty();

    assertThat(post("id", "secret", SANDBOX).statusCode()).isEqualTo(200);
    assertThat(simulator.issuedTokens()).hasSize(1);
  }

  @Test
  void resetNextClosesTheConnectionWithoutAnAnswer() throws Exception {
    simulator.resetNext(1);

    assertThatThrownBy(() -> post("id", "secret", SANDBOX)).isInstanceOf(IOException.class);
    assertThat(simulator.totalRequests()).isEqualTo(1);
    assertThat(post("id", "secret", SANDBOX).statusCode()).isEqualTo(200);
  }

  @Test
  void stallNextAnswersAfterTheClientGaveUp() throws Exception {
    simulator.stallNext(1, Duration.ofMillis(1500));
    ObjectNode body = JSON.createObjectNode().put("client_id", "id")
        .put("client_secret", "secret").put("grant_type", "client_credentials")
        .put("audience", SANDBOX);
    HttpRequest impatient = HttpRequest.newBuilder(simulator.url())
        .header("Content-Type", "application/json").timeout(Duration.ofMillis(200))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();

    assertThatThrownBy(() -> http.send(impatient, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.net.http.HttpTimeoutException.class);
    assertThat(post("id", "secret", SANDBOX).statusCode()).isEqualTo(200);
    assertThat(simulator.inFlight()).as("the stalled request may still be held").isBetween(0, 1);
  }

  @Test
  void clearFaultsDropsScriptedGarbageResetsAndStalls() throws Exception {
    simulator.resetNext(2).garbageNext(2, ReloadlySimulator.Garbage.NOT_JSON)
        .stallNext(2, Duration.ofMinutes(1)).clearFaults();

    assertThat(post("id", "secret", SANDBOX).statusCode()).isEqualTo(200);
    assertThat(simulator.issuedTokens()).hasSize(1);
  }
}
