package dev.reloadly.operator.reliability;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static dev.reloadly.operator.testing.CredentialFixtures.withConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API fault layer itself, and the operator run through a rotation of 20 credentials while it
 * fails a share of the operator's requests. The default build runs it at 1%, 10% and 30% with
 * one seed each; the {@code reliability} profile runs five seeds each, and 100 credentials.
 */
class ApiFaultsTest {
  static final int CREDENTIALS = 20;
  /** Every 4th credential is rotated: 5 of 20. */
  static final int ROTATE_EVERY = 4;
  static final Duration WAIT = Duration.ofSeconds(30);

  // ---- the fault layer ----

  @Test
  void theSameSeedGivesTheSameFaultsAndAnotherSeedOthers() {
    List<String> first = answers(new ApiFaults(0.3, 7), 500);
    List<String> again = answers(new ApiFaults(0.3, 7), 500);
    List<String> other = answers(new ApiFaults(0.3, 8), 500);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void failsAboutTheShareAskedOfTheOperatorsRequestsOnly() {
    ApiFaults faults = new ApiFaults(0.1, 11);
    Dispatcher front = faults.in(new Ok());
    int failed = 0;
    int writesAnswered = 0;
    for (int i = 0; i < 10_000; i++) {
      boolean write = i % 2 == 1;
      int code = front.dispatch(request(write ? "PUT" : "GET", "/api/v1/secrets", true)).code();
      failed += code == 200 ? 0 : 1;
      writesAnswered += write && code == 200 ? 1 : 0;
      assertThat(front.dispatch(request("PUT", "/api/v1/secrets", false)).code())
          .as("the test's own client is never failed").isEqualTo(200);
    }

    assertThat(faults.operatorRequests()).isEqualTo(10_000);
    assertThat(faults.operatorWrites()).isEqualTo(5_000);
    // Deterministic for this seed; the bounds say what 10% means here.
    assertThat(faults.injected()).isBetween(900L, 1_100L);
    assertThat(failed).as("a slow answer is still an answer")
        .isEqualTo(faults.injected() - faults.injected(ApiFaults.Kind.SLOW));
    assertThat(faults.injected(ApiFaults.Kind.WATCH_DROPPED)).isZero();
    assertThat(faults.writesApplied()).as("failed writes never reach the store")
        .isEqualTo(writesAnswered);
  }

  @Test
  void conflictsOnlyForUpdatesAndOnlyDropsForWatches() {
    ApiFaults faults = new ApiFaults(1.0, 3);
    Dispatcher front = faults.in(new Ok());
    Set<Integer> readCodes = new java.util.TreeSet<>();
    for (int i = 0; i < 200; i++) {
      readCodes.add(front.dispatch(request("GET", "/api/v1/secrets", true)).code());
    }
    Set<Integer> updateCodes = new java.util.TreeSet<>();
    Set<Integer> createCodes = new java.util.TreeSet<>();
    for (int i = 0; i < 200; i++) {
      updateCodes.add(front.dispatch(request(i % 2 == 0 ? "PATCH" : "PUT", "/api/v1/secrets/x",
          true)).code());
      createCodes.add(front.dispatch(request("POST", "/api/v1/secrets", true)).code());
    }
    MockResponse watch = front.dispatch(request("GET", "/api/v1/secrets?watch=true", true));

    assertThat(readCodes).containsExactly(200, 429, 500);
    assertThat(updateCodes).containsExactly(200, 409, 429, 500);
    assertThat(createCodes).containsExactly(200, 429, 500);
    assertThat(watch.getWebSocketListener()).as("the watch is accepted, then dropped").isNotNull();
    assertThat(faults.injected(ApiFaults.Kind.WATCH_DROPPED)).isEqualTo(1);
    MockResponse limited = front.dispatch(request("GET", "/api/v1/secrets", true));
    while (limited.code() != 429) {
      limited = front.dispatch(request("GET", "/api/v1/secrets", true));
    }
    assertThat(limited.getHeaders().header("Retry-After")).isEqualTo("1");
    assertThat(limited.getBody().readUtf8()).contains("\"reason\":\"TooManyRequests\"");
  }

  @Test
  void aDroppedWatchIsReopenedByTheClientAndStillDeliversEvents() {
    ApiFaults faults = new ApiFaults(1.0, 5);
    try (EmbeddedApiServer server = EmbeddedApiServer.start(faults::in);
        KubernetesClient operator = server.newOperatorClient();
        KubernetesClient test = server.newClient()) {
      Set<String> seen = ConcurrentHashMap.newKeySet();
      try (Watch ignored = operator.configMaps().inNamespace("default").watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
          seen.add(resource.getMetadata().getName());
        }

        @Override
        public void onClose(WatcherException cause) {
        }
      })) {
        await().atMost(Duration.ofSeconds(30)).until(faults::operatorWatches, n -> n >= 3);
        test.resource(new ConfigMapBuilder().withNewMetadata().withName("after-drops")
            .withNamespace("default").endMetadata().build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("after-drops"));
      }
      assertThat(faults.injected(ApiFaults.Kind.WATCH_DROPPED)).isGreaterThanOrEqualTo(3);
    }
  }

  // ---- the operator under API faults ----

  /**
   * Regression: a declared consumer the operator's workload cache had not seen when a new
   * version was served (its watch was down) was left out of that rollout for good.
   */
  @Test
  void aConsumerMissedDuringAWatchGapIsRestartedOnceItIsSeen() {
    WatchGap gap = new WatchGap("/deployments");
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try (OperatorHarness harness = new OperatorHarness(clock, EmbeddedApiServer.start(gap::in))) {
      harness.simulator().allowCredential("client-7", "secret-1");
      harness.start();
      await().atMost(WAIT).until(gap::live, n -> n > 0);
      gap.open();
      Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
          "api", "shop-reloadly", Workloads.Reading.VOLUME));
      harness.client().resource(sourceSecret("src", "client-7", "secret-1")).create();
      ReloadlyCredential credential = withConsumer(
          secretRefCredential("shop", "src", TargetMode.TOKEN), WorkloadKind.Deployment, "api");
      credential.getSpec().getConsumers().setDelay("0s");
      harness.client().resource(credential).create();
      CredentialSteps steps = new CredentialSteps(harness, "shop", "src", "client-7", WAIT);
      steps.awaitServedVersion();
      String second = steps.rotate("secret-2");
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(harness.credential("shop").getStatus().getConsumers())
            .as("the operator has not seen the Deployment").singleElement()
            .satisfies(c -> assertThat(c.getReads()).isEqualTo("missing"));
        assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE)).isEqualTo(Conditions.ROLLED_OUT);
      });

      gap.close();
      await().atMost(WAIT).untilAsserted(() -> assertThat(Workloads.restartedFor(
          harness.client(), WorkloadKind.Deployment, NAMESPACE, "api")).isEqualTo(second));
      Workloads.healthy(harness.client(), "Deployment", NAMESPACE, "api");
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE)).isEqualTo(Conditions.ROLLED_OUT));
      harness.awaitSettled();
      assertThat(harness.server().writes().stream()
          .filter(w -> w.startsWith("PATCH ") && w.contains("/deployments/api"))).hasSize(1);
    }
  }

  /** The default build's runs: one seed per rate, about 6 s each on the 2-core machine. */
  @ParameterizedTest(name = "{0} of requests failing, seed {1}")
  @MethodSource("oneSeedPerRate")
  void aRotationOfTwentyCredentialsConverges(double rate, long seed) {
    converges(rate, seed, CREDENTIALS);
  }

  @Tag("reliability")
  @ParameterizedTest(name = "{0} of requests failing, seed {1}")
  @MethodSource("fiveSeedsPerRate")
  void aRotationOfTwentyCredentialsConvergesWhateverTheSeed(double rate, long seed) {
    converges(rate, seed, CREDENTIALS);
  }

  @Tag("reliability")
  @ParameterizedTest(name = "{0} of requests failing, seed {1}")
  @MethodSource("oneSeedPerRate")
  void aRotationOfAHundredCredentialsConverges(double rate, long seed) {
    converges(rate, seed, 100);
  }

  private static void converges(double rate, long seed, int credentials) {
    RotationWorkload.Figures figures =
        RotationWorkload.run(rate, seed, credentials, ROTATE_EVERY);
    System.out.println(figures.line());
    if (rate >= 0.10) {
      // At 1% a run of about 250 requests may draw no fault at all.
      assertThat(figures.injected()).as("faults were injected").isPositive();
    }
  }

  static Stream<Arguments> oneSeedPerRate() {
    return runs(1);
  }

  static Stream<Arguments> fiveSeedsPerRate() {
    return runs(5);
  }

  private static Stream<Arguments> runs(int seeds) {
    List<Arguments> runs = new ArrayList<>();
    for (double rate : new double[] {0.01, 0.10, 0.30}) {
      for (long seed = 1; seed <= seeds; seed++) {
        runs.add(Arguments.of(rate, seed));
      }
    }
    return runs.stream();
  }

  // ---- helpers ----

  /** What each of {@code n} operator requests got, in order: a status code, "slow" or "watch". */
  private static List<String> answers(ApiFaults faults, int n) {
    Dispatcher front = faults.in(new Ok());
    List<String> answers = new ArrayList<>();
    String[] methods = {"GET", "PUT", "PATCH", "POST"};
    for (int i = 0; i < n; i++) {
      long slowBefore = faults.injected(ApiFaults.Kind.SLOW);
      MockResponse response = front.dispatch(request(methods[i % methods.length],
          "/api/v1/namespaces/a/secrets", true));
      answers.add(faults.injected(ApiFaults.Kind.SLOW) > slowBefore
          ? "slow " + response.getBodyDelay() : Integer.toString(response.code()));
    }
    return answers;
  }

  private static RecordedRequest request(String method, String path, boolean operator) {
    Headers.Builder headers = Headers.builder();
    if (operator) {
      headers.add("Authorization", "Bearer " + EmbeddedApiServer.OPERATOR_TOKEN);
    }
    return new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(method), path, headers.build(),
        new Buffer());
  }

  /** Answers 200 with a body to everything, and opens any watch. */
  private static final class Ok extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      MockResponse ok = new MockResponse().setResponseCode(200).setBody("{}");
      return request.getPath().contains("watch=true")
          ? ok.withWebSocketUpgrade(new io.fabric8.mockwebserver.http.WebSocketListener() {})
          : ok;
    }
  }
}
