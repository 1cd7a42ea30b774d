package dev.reloadly.operator.leader;

import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.config.LeaderElection;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.keys.OperatorKeyStore;
import dev.reloadly.operator.metrics.Readiness;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.OperatorHarness.Replica;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas on one API server: one holds the Lease and works; when it stops, the other does. */
class LeaderElectionTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String ID = "client-7";

  private OperatorHarness harness;
  /** Write requests (POST, PUT, PATCH, DELETE) per client User-Agent, i.e. per replica. */
  private final Map<String, Integer> writesBy = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    harness = new OperatorHarness(Clock.systemUTC(), EmbeddedApiServer.start(crud ->
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            // JOSDK's start-up question "may I use Leases?" is a POST but writes nothing.
            if (!request.getMethod().equals("GET")
                && !request.getPath().contains("selfsubjectrulesreviews")) {
              writesBy.merge(String.valueOf(request.getHeader("User-Agent")), 1, Integer::sum);
            }
            return crud.dispatch(request);
          }
        }));
    harness.simulator().allowCredential(ID, "secret-1");
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void onlyTheLeaseHolderWorksAndAFollowerTakesOverWhenItStops() {
    AtomicInteger firstTokens = new AtomicInteger();
    AtomicInteger secondTokens = new AtomicInteger();
    Replica first = harness.startReplica(config("replica-a"), counting(firstTokens));
    await().atMost(WAIT).until(() -> first.runtime().leading());
    Replica second = harness.startReplica(config("replica-b"), counting(secondTokens));

    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a");
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.TOKEN)).create();
    await().atMost(WAIT).until(() -> servedVersion("shop") != null);
    await().atMost(WAIT).until(() -> first.runtime().maintenancePasses() > 0);
    // The follower has its caches filled (it started after the credential's source existed) but
    // neither reconciles nor maintains keys: it never asked for a token nor ran a pass.
    await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> {
      assertThat(second.runtime().leading()).isFalse();
      assertThat(second.runtime().maintenancePasses()).isZero();
      assertThat(secondTokens).hasValue(0);
      assertThat(writesBy).as("writes per replica").doesNotContainKey("replica-b")
          .containsKey("replica-a");
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a");
    });
    assertThat(firstTokens.get()).isPositive();
    // Both are ready (a rolling update must not wait on the Lease); /readyz says which leads.
    assertThat(first.runtime().readiness())
        .isEqualTo(new Readiness.State(true, "ready, leading"));
    assertThat(second.runtime().readiness())
        .isEqualTo(new Readiness.State(true, "ready, standby"));
    // The leader rotates the KEK; the follower still holds the keys it loaded at start.
    String kekBefore = first.runtime().keys().get().keks().active().keyId();
    // What `rotate-kek` does: the leader's watch of the key Secret picks it up.
    harness.client().secrets().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.SECRET).edit(s -> new io.fabric8.kubernetes.api.model
            .SecretBuilder(s).editMetadata().addToAnnotations(OperatorKeyStore.ROTATE_KEK, "now")
            .endMetadata().build());
    String rotatedKek = await().atMost(WAIT).until(
        () -> first.runtime().keys().get().keks().active().keyId(), id -> !id.equals(kekBefore));
    assertThat(second.runtime().keys().get().keks().active().keyId()).isNotEqualTo(rotatedKek);

    first.close();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(second.runtime().leading()).isTrue();
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
      assertThat(second.runtime().maintenancePasses()).isPositive();
    });
    assertThat(second.runtime().keys().get().keks().active().keyId())
        .as("a new leader works with the keys its predecessor stored, never older ones")
        .isEqualTo(rotatedKek);
    harness.client().resource(secretRefCredential("shop-2", "src", TargetMode.TOKEN)).create();
    await().atMost(WAIT).until(() -> servedVersion("shop-2") != null);
    assertThat(secondTokens.get()).as("the new leader reconciles").isPositive();
    assertThat(writesBy).as("writes per replica").containsKey("replica-b");
  }

  @Test
  void leaderElectionIsOffUnlessAsked() {
    harness.start();
    assertThat(harness.runtime().leading()).isTrue();
    await().atMost(WAIT).until(() -> harness.runtime().maintenancePasses() > 0);
    assertThat(harness.client().leases().inNamespace(OperatorHarness.OPERATOR_NAMESPACE).list()
        .getItems()).isEmpty();
  }

  /** Short timings so a takeover after a crash takes seconds; in-process, losing must not exit. */
  private OperatorConfig config(String identity) {
    return harness.config().withLeaderElection(new LeaderElection(true,
        LeaderElection.DEFAULT_LEASE_NAME, identity, Duration.ofSeconds(3), Duration.ofSeconds(2),
        Duration.ofMillis(250), false));
  }

  private static UnaryOperator<ReloadlyTokenClient> counting(AtomicInteger count) {
    return inner -> (id, secret, audience) -> {
      count.incrementAndGet();
      return inner.requestToken(id, secret, audience);
    };
  }

  private Lease lease() {
    return harness.client().leases().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(LeaderElection.DEFAULT_LEASE_NAME).get();
  }

  private String servedVersion(String name) {
    Secret target = harness.secret(name + "-reloadly");
    if (target == null || target.getMetadata().getAnnotations() == null) {
      return null;
    }
    return target.getMetadata().getAnnotations().get(ApiLabels.VERSION);
  }

}
