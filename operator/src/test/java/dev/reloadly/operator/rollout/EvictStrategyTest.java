package dev.reloadly.operator.rollout;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.testing.EvictionApi;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evict strategy against a test server that plays the Eviction API; the test plays the
 * kubelet and the ReplicaSet controller (an evicted pod goes, a Ready replacement comes).
 */
class EvictStrategyTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(40);

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private EvictionApi evictions;
  private OperatorHarness harness;
  private CredentialSteps steps;
  private int replacements;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock,
        EmbeddedApiServer.start(crud -> evictions = new EvictionApi(crud)));
    harness.simulator().allowCredential(ID, "secret-1");
    steps = new CredentialSteps(harness, "shop", "src", ID, WAIT);
    harness.start();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void podsAreEvictedOneAtATimeWaitingOutABudgetAndTheWorkloadSpecIsNeverChanged() {
    Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
        "api", "shop-reloadly", Workloads.Reading.VOLUME));
    Instant old = clock.instant().minus(Duration.ofHours(1));
    pod("api-1", old);
    pod("api-2", old.plusSeconds(1));
    createCredential();
    String first = await().atMost(WAIT).until(steps::servedVersion, v -> v != null);
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLED_OUT));

    evictions.blockByBudget(true);
    steps.rotate("secret-2");
    // The budget refuses: nothing is evicted, the rollout waits and says why.
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(evictions.refused()).contains(NAMESPACE + "/api-1");
      assertThat(harness.credential("shop").getStatus().getRollout().getWorkloads())
          .singleElement().satisfies(w -> assertThat(w.getMessage()).contains("refused"));
    });
    assertThat(evictions.evicted()).isEmpty();

    evictions.blockByBudget(false);
    await().atMost(WAIT).until(() -> evictions.evicted().contains(NAMESPACE + "/api-1"));
    // Not the second pod while the first one's replacement is not there yet.
    assertThat(evictions.evicted()).containsExactly(NAMESPACE + "/api-1");
    replace("api-1");
    await().atMost(WAIT).until(() -> evictions.evicted().contains(NAMESPACE + "/api-2"));
    replace("api-2");

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE)).isEqualTo(Conditions.ROLLED_OUT);
      assertThat(steps.state(first)).isEqualTo("retired");
    });
    assertThat(evictions.evicted()).as("the replacements are left alone")
        .containsExactly(NAMESPACE + "/api-1", NAMESPACE + "/api-2");
    assertThat(harness.server().writes()).as("the Deployment itself is never written")
        .noneMatch(w -> w.startsWith("PATCH") && w.contains("/deployments/"));
  }

  /** The kubelet removes the evicted pod; the ReplicaSet starts a Ready replacement. */
  private void replace(String name) {
    harness.client().pods().inNamespace(NAMESPACE).withName(name).delete();
    pod("api-new-" + (++replacements), clock.instant().plusSeconds(60));
  }

  private void pod(String name, Instant started) {
    harness.client().pods().inNamespace(NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName(name).addToLabels("app", "api").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example.com/app:1")
        .endContainer().endSpec()
        .withNewStatus().withStartTime(started.toString()).addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build()).create();
  }

  private void createCredential() {
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    RotationPolicy rotation = new RotationPolicy();
    rotation.setGracePeriod("0s");
    credential.getSpec().setRotation(rotation);
    Consumers consumers = new Consumers();
    consumers.setStrategy(RolloutStrategy.EVICT);
    consumers.setDelay("0s");
    WorkloadRef ref = new WorkloadRef();
    ref.setKind(WorkloadKind.Deployment);
    ref.setName("api");
    consumers.setWorkloads(List.of(ref));
    credential.getSpec().setConsumers(consumers);
    harness.client().resource(credential).create();
  }




}
