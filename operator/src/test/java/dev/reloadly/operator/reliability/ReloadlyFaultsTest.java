package dev.reloadly.operator.reliability;

import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.api.v1alpha1.Product;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.simulator.ReloadlySimulator;
import dev.reloadly.operator.simulator.ReloadlySimulator.Garbage;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.token.MutableClock;
import dev.reloadly.operator.token.TokenResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reloadly's token endpoint misbehaving (garbage answers, connections closed without an answer,
 * answers later than the client waits, 5xx, 429) while a token is refreshed and while a new
 * version is tested. The operator runs on a clock the test moves: each time the operator names
 * its next try, the clock jumps there, which is the fastest the operator's own backoff allows.
 *
 * <p>The bound on requests per minute follows from the backoff (token/Backoff.defaults(): retry
 * n waits uniformly in [0, min(5 min, 1 s * 2^n)], never less than Retry-After). Its jitter has
 * no floor, so no count is certain; {@link #MOST_PER_MINUTE} requests within one minute need 13
 * waits in a row adding up to less than 60 s, and waits 7 to 12 alone (uniform on [0, 128 s],
 * [0, 256 s] and four times [0, 300 s]) do so with probability below 3e-7. A retry loop, or a
 * backoff that did not grow, makes 16 requests within seconds.
 */
class ReloadlyFaultsTest {
  static final String ID = "client-7";
  static final String NAME = "shop";
  static final String TARGET = NAME + "-reloadly";
  static final String AUDIENCE = Product.AIRTIME.baseUrl(Environment.SANDBOX);
  static final Duration WAIT = Duration.ofSeconds(30);
  /** Longer than the client's timeout, {@link #CLIENT_TIMEOUT}. */
  static final Duration STALL = Duration.ofSeconds(3);
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration RETRY_AFTER = Duration.ofSeconds(30);
  static final int MOST_PER_MINUTE = 14;
  private static final Pattern RETRY_AT = Pattern.compile("retrying at (\\S+?)\\.?$");

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final RecordedTokenRequests requests = new RecordedTokenRequests(clock);
  private OperatorHarness harness;
  private CredentialSteps steps;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(ID, "secret-1");
    // A client that gives up after a second, so a stalled answer costs a second of the test.
    harness.wrapTokenClient(ignored -> requests.wrap(new HttpReloadlyTokenClient(
        harness.simulator().url(), clock, CLIENT_TIMEOUT, CLIENT_TIMEOUT)));
    harness.start();
    steps = new CredentialSteps(harness, NAME, "src", ID, WAIT);
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    harness.client().resource(secretRefCredential(NAME, "src", TargetMode.TOKEN)).create();
    steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.TOKEN_READY))
        .isEqualTo(Conditions.TOKEN_VALID));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @ParameterizedTest
  @EnumSource(Garbage.class)
  void everyGarbageAnswerIsATransientFailureOfTheClient(Garbage garbage) {
    harness.simulator().garbageNext(1, garbage);
    HttpReloadlyTokenClient client = new HttpReloadlyTokenClient(harness.simulator().url(), clock);

    TokenResult result =
        client.requestToken(ID.toCharArray(), "secret-1".toCharArray(), AUDIENCE);

    assertThat(result).isInstanceOf(TokenResult.RetryLater.class);
  }

  @Test
  void aTokenRefreshUnderFaultsKeepsServingTheTokenItHasAndBacksOff() {
    Secret before = harness.secret(TARGET);
    int faults = scriptEveryFault();
    int base = requests.count();
    // Due for refresh (33% of the 24 h sandbox lifetime before expiry), valid for 7 h more.
    clock.set(Instant.parse(harness.credential(NAME).getStatus().getTokenExpiresAt())
        .minus(Duration.ofHours(7)));
    steps.touchSource();

    List<Instant> retries = playFaults(base, faults, Conditions.TOKEN_READY, condition -> {
      assertUntouched(before);
      // Still served and still valid: ready, with the failure and the next try in the reason.
      assertThat(condition.getStatus()).isEqualTo(Conditions.TRUE);
      assertThat(condition.getReason()).isEqualTo(Conditions.TOKEN_REQUEST_FAILED);
    });

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.TOKEN_READY)).isEqualTo(Conditions.TOKEN_VALID);
      assertThat(harness.secret(TARGET).getData().get("access_token"))
          .isNotEqualTo(before.getData().get("access_token"));
    });
    assertBackedOff("token refresh", base, faults, retries);
  }

  @Test
  void aNewVersionTestedUnderFaultsStaysPendingWhileTheCurrentOneServes() {
    String first = steps.servedVersion();
    Secret before = harness.secret(TARGET);
    int faults = scriptEveryFault();
    int base = requests.count();
    harness.simulator().alsoAccept(ID, "secret-2");
    steps.offer("secret-2");

    List<Instant> retries = playFaults(base, faults, Conditions.CREDENTIAL_VALID, condition -> {
      assertUntouched(before);
      assertThat(condition.getStatus()).isEqualTo(Conditions.FALSE);
      assertThat(condition.getReason()).isEqualTo(Conditions.VALIDATION_PENDING);
      assertThat(harness.credential(NAME).getStatus().getVersions())
          .extracting(CredentialVersionStatus::getState).containsExactly("pending", "current");
      assertThat(steps.servedVersion()).isEqualTo(first);
    });

    String second = await().atMost(WAIT).until(steps::servedVersion,
        v -> v != null && !v.equals(first));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.CREDENTIAL_VALID)).isEqualTo(Conditions.VALID);
      assertThat(steps.state(second)).isEqualTo("current");
      assertThat(steps.state(first)).isEqualTo("previous");
    });
    assertBackedOff("validation", base, faults, retries);
  }

  /**
   * Faults that outlast the served token: once it has expired the operator stops serving it
   * (an expired token opens nothing), says so in TokenReady and Ready, keeps the version, and
   * serves a new token when Reloadly answers again.
   */
  @Test
  void faultsOutlastingTheServedTokenWithdrawItAndTheConditionsSayWhy() {
    String version = steps.servedVersion();
    Secret before = harness.secret(TARGET);
    harness.simulator().resetNext(1_000);
    clock.set(Instant.parse(harness.credential(NAME).getStatus().getTokenExpiresAt())
        .plusSeconds(1));
    steps.touchSource();

    await().atMost(WAIT).untilAsserted(() -> {
      Condition tokenReady = harness.condition(NAME, Conditions.TOKEN_READY).orElseThrow();
      assertThat(tokenReady.getStatus()).isEqualTo(Conditions.FALSE);
      assertThat(tokenReady.getReason()).isEqualTo(Conditions.TOKEN_REQUEST_FAILED);
      assertThat(tokenReady.getMessage()).contains("network error").contains("retrying at");
      assertThat(harness.condition(NAME, Conditions.READY).orElseThrow().getStatus())
          .isEqualTo(Conditions.FALSE);
    });
    Secret withdrawn = harness.secret(TARGET);
    assertThat(withdrawn.getData()).doesNotContainKey("access_token")
        .containsEntry("base_url", before.getData().get("base_url"));
    assertThat(steps.servedVersion()).isEqualTo(version);
    assertThat(reconcileErrors()).isZero();

    harness.simulator().clearFaults();
    Condition failed = harness.condition(NAME, Conditions.TOKEN_READY).orElseThrow();
    Matcher m = RETRY_AT.matcher(failed.getMessage());
    assertThat(m.find()).isTrue();
    clock.set(Instant.parse(m.group(1)));
    steps.touchSource();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.TOKEN_READY)).isEqualTo(Conditions.TOKEN_VALID);
      assertThat(harness.condition(NAME, Conditions.READY).orElseThrow().getStatus())
          .isEqualTo(Conditions.TRUE);
      assertThat(harness.secret(TARGET).getData()).containsKey("access_token");
    });
    assertThat(steps.servedVersion()).isEqualTo(version);
  }

  /**
   * Regression: a token answered as already expired (expires_in 0) was served, was due for
   * refresh at once, and was asked for again in the same instant, over and over.
   */
  @Test
  void aTokenExpiredOnArrivalIsNeitherServedNorAskedForAgainAtOnce() {
    Secret before = harness.secret(TARGET);
    harness.simulator().garbageNext(20, Garbage.EXPIRES_AT_ONCE);
    int base = requests.count();
    clock.set(Instant.parse(harness.credential(NAME).getStatus().getTokenExpiresAt())
        .minus(Duration.ofHours(7)));
    steps.touchSource();

    await().atMost(WAIT).until(requests::count, n -> n > base);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .until(requests::count, n -> n == base + 1);
    assertUntouched(before);
    assertThat(harness.condition(NAME, Conditions.TOKEN_READY).orElseThrow().getMessage())
        .contains("already expired");
  }

  /**
   * Every fault the simulator has, twice, then a 503 and a 429 with Retry-After; returns how
   * many requests fail before one is answered.
   */
  private int scriptEveryFault() {
    ReloadlySimulator simulator = harness.simulator();
    for (int round = 0; round < 2; round++) {
      for (Garbage garbage : Garbage.values()) {
        simulator.garbageNext(1, garbage);
      }
      simulator.resetNext(1).stallNext(1, STALL);
    }
    // Counted faults come after the scripted ones, in this order.
    simulator.failNext(1, 503).rateLimitNext(1, RETRY_AFTER);
    return 2 * (Garbage.values().length + 2) + 2;
  }

  /**
   * Lets the operator meet {@code faults} failures one request at a time: after each, checks
   * what must hold, then moves the clock to the moment the condition names for the next try.
   * Returns those moments.
   */
  private List<Instant> playFaults(int base, int faults, String conditionType,
      java.util.function.Consumer<Condition> held) {
    List<Instant> retries = new ArrayList<>();
    String lastMessage = null;
    for (int i = 1; i <= faults; i++) {
      int expected = base + i;
      await().atMost(WAIT).until(requests::count, n -> n >= expected);
      String previous = lastMessage;
      Condition condition = await().atMost(WAIT).until(
          () -> harness.condition(NAME, conditionType).orElse(null),
          c -> c != null && c.getMessage().contains("retrying at")
              && !c.getMessage().equals(previous));
      lastMessage = condition.getMessage();
      held.accept(condition);
      assertThat(requests.count()).as("one request per try, after fault " + i).isEqualTo(expected);
      assertThat(reconcileErrors()).as("no exception escaped the reconcile").isZero();
      Matcher m = RETRY_AT.matcher(condition.getMessage());
      assertThat(m.find()).as(condition.getMessage()).isTrue();
      Instant retryAt = Instant.parse(m.group(1));
      assertThat(retryAt).isAfter(clock.instant());
      retries.add(retryAt);
      clock.set(retryAt);
      steps.touchSource();
    }
    return retries;
  }

  private void assertBackedOff(String what, int base, int faults, List<Instant> retries) {
    assertThat(requests.count()).as("each failure cost one request, and one more succeeded")
        .isEqualTo(base + faults + 1);
    List<RecordedTokenRequests.Request> made = requests.after(base);
    assertThat(RecordedTokenRequests.mostAtOneInstant(made)).as("never two requests at one instant")
        .isEqualTo(1);
    int perMinute = RecordedTokenRequests.mostWithin(made, Duration.ofMinutes(1));
    assertThat(perMinute).as("requests in any minute").isLessThanOrEqualTo(MOST_PER_MINUTE);
    // The last failure was the 429: its retry waits at least what Retry-After asked.
    Instant limitedAt = made.get(made.size() - 2).at();
    assertThat(retries.get(retries.size() - 1)).isAfterOrEqualTo(limitedAt.plus(RETRY_AFTER));
    assertThat(reconcileErrors()).isZero();
    System.out.printf("reliability: %s: %d failed requests then 1 answered, over %s of operator"
        + " time; at most %d in one minute%n", what, faults,
        Duration.between(made.get(0).at(), made.get(made.size() - 1).at()), perMinute);
  }

  private void assertUntouched(Secret before) {
    Secret now = harness.secret(TARGET);
    assertThat(now.getMetadata().getResourceVersion()).as("the target Secret was not written")
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(now.getData()).isEqualTo(before.getData());
    assertThat(now.getMetadata().getAnnotations()).isEqualTo(before.getMetadata().getAnnotations());
  }

  private double reconcileErrors() {
    return harness.runtime().registry().get(CredentialMetrics.RECONCILE_ERRORS).counter().count();
  }
}
