package dev.reloadly.operator.rollout;

import static dev.reloadly.operator.testing.Workloads.Reading.ENV_FROM;
import static dev.reloadly.operator.testing.Workloads.Reading.ENV_ID;
import static dev.reloadly.operator.testing.Workloads.Reading.ENV_TOKEN;
import static dev.reloadly.operator.testing.Workloads.Reading.NONE;
import static dev.reloadly.operator.testing.Workloads.Reading.VOLUME;
import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ConsumerStatus;
import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.config.RolloutSettings;
import dev.reloadly.operator.testing.ArgoRolloutsDiscovery;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Consumers rolled end to end on the CRUD server. The test plays the workload controllers (it
 * writes their status) and moves the operator's clock: restarts wait consumers.delay, stalls
 * wait consumers.timeout, retirement waits gracePeriod.
 */
class ConsumerRolloutTest {
  static final String ID = "client-7";
  static final String TARGET = "shop-reloadly";
  static final Duration WAIT = Duration.ofSeconds(30);

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;
  private CredentialSteps steps;
  private int touches;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock, ArgoRolloutsDiscovery.server());
    harness.simulator().allowCredential(ID, "secret-1");
    steps = new CredentialSteps(harness, "shop", "src", ID, WAIT);
    harness.start(harness.config().withRollouts(new RolloutSettings(10, true)));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @ParameterizedTest
  @EnumSource(WorkloadKind.class)
  void aNewVersionRestartsEachKindOnceThenRetiresThePreviousAfterItIsHealthy(WorkloadKind kind) {
    Workloads.create(harness.client(), Workloads.workload(kind, NAMESPACE, "api", TARGET, VOLUME));
    createCredential(consumers(RolloutStrategy.RESTART, ref(kind, "api")), "0s");
    String first = steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLED_OUT));
    assertThat(Workloads.restartedFor(harness.client(), kind, NAMESPACE, "api"))
        .as("the first version restarts nothing").isNull();

    String second = steps.rotate("secret-2");
    // Within consumers.delay nothing is restarted, and the previous version is kept.
    assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE)).isEqualTo(Conditions.ROLLOUT_PENDING);
    assertThat(Workloads.restartedFor(harness.client(), kind, NAMESPACE, "api")).isNull();

    clock.advance(Duration.ofSeconds(10));
    touchSource();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(Workloads.restartedFor(harness.client(), kind, NAMESPACE, "api"))
            .isEqualTo(second));
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLOUT_IN_PROGRESS));
    // Grace period 0s, yet the previous version stays while the workload rolls.
    assertThat(steps.state(first)).isEqualTo("previous");

    Workloads.healthy(harness.client(), kind.name(), NAMESPACE, "api");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE)).isEqualTo(Conditions.ROLLED_OUT);
      assertThat(steps.state(first)).isEqualTo("retired");
    });
    assertThat(harness.credential("shop").getStatus().getRollout().getWorkloads())
        .singleElement().satisfies(w -> {
          assertThat(w.getHealthy()).isTrue();
          assertThat(w.getRevision()).isEqualTo(second);
          assertThat(w.getStartedAt()).isNotNull();
          assertThat(w.getFinishedAt()).isNotNull();
        });
    assertThat(patchesOf(plural(kind) + "/api")).as("one restart patch, no more").isEqualTo(1);
    assertThat(rollouts("completed")).as("one rollout completed").isEqualTo(1);

    // Settled: a reconcile (proven to run) writes nothing, status included.
    harness.awaitSettled();
    int writes = harness.server().writes().size();
    long settled = harness.reconciles();
    touchSource();
    harness.assertReconciledWithoutWrites(settled, writes + 1);
  }

  @Test
  void exactlyOnceAcrossAnOperatorRestart() {
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, NAMESPACE, "api", TARGET, ENV_FROM));
    createCredential(consumers(RolloutStrategy.RESTART, ref(WorkloadKind.Deployment, "api")),
        "0s");
    steps.awaitServedVersion();
    String second = steps.rotate("secret-2");
    clock.advance(Duration.ofSeconds(10));
    touchSource();
    // It reads the whole Secret from the environment, the token included.
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        Workloads.restartedFor(harness.client(), WorkloadKind.Deployment, NAMESPACE, "api"))
        .startsWith(second + "+token-"));
    long patches = patchesOf("deployments/api");

    harness.stop();
    harness.start(harness.config().withRollouts(new RolloutSettings(10, true)));
    harness.awaitReconcileAfter(touchSource());
    harness.awaitSettled();
    assertThat(patchesOf("deployments/api")).as("not restarted again").isEqualTo(patches);
    Workloads.healthy(harness.client(), "Deployment", NAMESPACE, "api");
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLED_OUT));
    assertThat(patchesOf("deployments/api")).isEqualTo(patches);
  }

  @Test
  void aStallKeepsThePreviousVersionUntilAnAdminRetiresIt() {
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, NAMESPACE, "api", TARGET, VOLUME));
    createCredential(consumers(RolloutStrategy.RESTART, ref(WorkloadKind.Deployment, "api")),
        "0s");
    String first = steps.awaitServedVersion();
    steps.rotate("secret-2");
    clock.advance(Duration.ofSeconds(10));
    touchSource();
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLOUT_IN_PROGRESS));
    Workloads.progressing(harness.client(), WorkloadKind.Deployment, NAMESPACE, "api");

    clock.advance(Duration.ofMinutes(10));
    touchSource();
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLOUT_STALLED));
    assertThat(harness.condition("shop", Conditions.ROLLOUT_COMPLETE).orElseThrow().getMessage())
        .contains("Deployment/api");
    assertThat(events(Conditions.ROLLOUT_STALLED)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("Deployment/api"));
    assertThat(steps.state(first)).isEqualTo("previous");
    assertThat(harness.runtime().registry().find("reloadly.credential.rollout.stalled")
        .tags("credential", "shop").gauge().value()).isEqualTo(1.0);

    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
            + ApiLabels.RETIRE_PREVIOUS + "\":\"now\"}}}");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.state(first)).isEqualTo("retired");
      assertThat(harness.credential("shop").getMetadata().getAnnotations())
          .doesNotContainKey(ApiLabels.RETIRE_PREVIOUS);
    });
    assertThat(events(Conditions.ROLLOUT_STALLED)).as("one Event per stall").hasSize(1);
    assertThat(rollouts("stalled")).as("one stall counted").isEqualTo(1);
  }

  @Test
  void changesWithinTheDelayCoalesceIntoOneRestart() {
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, NAMESPACE, "api", TARGET, VOLUME));
    createCredential(consumers(RolloutStrategy.RESTART, ref(WorkloadKind.Deployment, "api")),
        "0s");
    steps.awaitServedVersion();
    steps.rotate("secret-2");
    clock.advance(Duration.ofSeconds(5));
    String third = steps.rotate("secret-3");
    clock.advance(Duration.ofSeconds(5));
    touchSource();
    await().atMost(WAIT).untilAsserted(() -> assertThat(
        Workloads.restartedFor(harness.client(), WorkloadKind.Deployment, NAMESPACE, "api"))
        .isEqualTo(third));
    assertThat(patchesOf("deployments/api")).as("one restart for both changes").isEqualTo(1);
  }

  @Test
  void maxConcurrentRollsOneWorkloadAtATime() {
    for (String name : List.of("a", "b")) {
      Workloads.create(harness.client(),
          Workloads.workload(WorkloadKind.Deployment, NAMESPACE, name, TARGET, VOLUME));
    }
    Consumers consumers = consumers(RolloutStrategy.RESTART);
    consumers.setSelector(new LabelSelectorBuilder().addToMatchLabels("tier", "payments").build());
    createCredential(consumers, "0s");
    steps.awaitServedVersion();
    String second = steps.rotate("secret-2");
    clock.advance(Duration.ofSeconds(10));
    touchSource();
    await().atMost(WAIT).untilAsserted(() -> assertThat(restarted("a")).isEqualTo(second));
    harness.awaitReconcileAfter(touchSource());
    assertThat(restarted("b")).as("waits for a to be healthy").isNull();

    Workloads.healthy(harness.client(), "Deployment", NAMESPACE, "a");
    await().atMost(WAIT).untilAsserted(() -> assertThat(restarted("b")).isEqualTo(second));
    Workloads.healthy(harness.client(), "Deployment", NAMESPACE, "b");
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLED_OUT));
  }

  @Test
  void aWorkloadOfTheSameNameInAnotherNamespaceIsNeverTouched() {
    harness.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
        .withName("other").endMetadata().build()).create();
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, "other", "api", TARGET, VOLUME));
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, NAMESPACE, "api", TARGET, VOLUME));
    createCredential(consumers(RolloutStrategy.RESTART, ref(WorkloadKind.Deployment, "api")),
        "0s");
    steps.awaitServedVersion();
    String second = steps.rotate("secret-2");
    clock.advance(Duration.ofSeconds(10));
    touchSource();
    await().atMost(WAIT).untilAsserted(() -> assertThat(restarted("api")).isEqualTo(second));
    assertThat(Workloads.restartedFor(harness.client(), WorkloadKind.Deployment, "other", "api"))
        .isNull();
    assertThat(patchesOf("/namespaces/other/deployments/api")).isZero();
  }

  @Test
  void aTokenRefreshRestartsOnlyTheWorkloadsThatReadTheTokenFromTheEnvironment() {
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, NAMESPACE, "env", TARGET, ENV_TOKEN));
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, NAMESPACE, "file", TARGET, VOLUME));
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, NAMESPACE, "base", TARGET, ENV_ID));
    Consumers consumers = consumers(RolloutStrategy.RESTART);
    consumers.setMaxConcurrent(3);
    consumers.setIncludeDiscovered(true);
    createCredential(consumers, "0s");
    String version = steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLED_OUT));

    clock.advance(Duration.ofMinutes(1));
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName("shop")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
            + ApiLabels.REFRESH_TOKEN + "\":\"now\"}}}");
    await().atMost(WAIT).untilAsserted(() -> assertThat(steps.reason(Conditions.ROLLOUT_COMPLETE))
        .isEqualTo(Conditions.ROLLOUT_PENDING));
    clock.advance(Duration.ofSeconds(10));
    touchSource();
    await().atMost(WAIT).untilAsserted(() -> assertThat(restarted("env"))
        .startsWith(version + "+token-"));
    harness.awaitReconcileAfter(touchSource());
    assertThat(restarted("file")).as("the kubelet updates mounted files").isNull();
    assertThat(restarted("base")).as("reads no token").isNull();
  }

  @Test
  void undeclaredReadersAreListedAndAnnouncedOnceButNotRestarted() {
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.Deployment, NAMESPACE, "sneaky", TARGET, ENV_FROM));
    Workloads.create(harness.client(),
        Workloads.workload(WorkloadKind.StatefulSet, NAMESPACE, "declared", TARGET, NONE));
    createCredential(consumers(RolloutStrategy.RESTART,
        ref(WorkloadKind.StatefulSet, "declared"), ref(WorkloadKind.DaemonSet, "absent")), "0s");
    steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(harness.credential("shop").getStatus().getConsumers())
            .extracting(ConsumerStatus::getKind, ConsumerStatus::getName,
                ConsumerStatus::getReads, ConsumerStatus::getDeclared)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("DaemonSet", "absent", "missing", true),
                org.assertj.core.groups.Tuple.tuple("Deployment", "sneaky", "env", false),
                org.assertj.core.groups.Tuple.tuple("StatefulSet", "declared", "none", true)));
    String second = steps.rotate("secret-2");
    clock.advance(Duration.ofSeconds(10));
    touchSource();
    await().atMost(WAIT).untilAsserted(() -> assertThat(Workloads.restartedFor(harness.client(),
        WorkloadKind.StatefulSet, NAMESPACE, "declared")).isEqualTo(second));
    harness.awaitReconcileAfter(touchSource());
    assertThat(restarted("sneaky")).isNull();
    assertThat(events(Conditions.UNDECLARED_CONSUMER)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("Deployment/sneaky"));
  }

  private String restarted(String deployment) {
    return Workloads.restartedFor(harness.client(), WorkloadKind.Deployment, NAMESPACE,
        deployment);
  }

  /** The operator's patches of a workload (the test plays its controller with PUTs). */
  private long patchesOf(String fragment) {
    return harness.server().writes().stream()
        .filter(w -> w.startsWith("PATCH") && w.contains(fragment)).count();
  }

  private static String plural(WorkloadKind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + "s";
  }

  private List<Event> events(String reason) {
    return harness.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  private static WorkloadRef ref(WorkloadKind kind, String name) {
    WorkloadRef ref = new WorkloadRef();
    ref.setKind(kind);
    ref.setName(name);
    return ref;
  }

  private static Consumers consumers(RolloutStrategy strategy, WorkloadRef... refs) {
    Consumers consumers = new Consumers();
    consumers.setStrategy(strategy);
    if (refs.length > 0) {
      consumers.setWorkloads(List.of(refs));
    }
    return consumers;
  }

  private void createCredential(Consumers consumers, String gracePeriod) {
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    RotationPolicy rotation = new RotationPolicy();
    rotation.setGracePeriod(gracePeriod);
    credential.getSpec().setRotation(rotation);
    credential.getSpec().setConsumers(consumers);
    harness.client().resource(credential).create();
  }


  private long touchSource() {
    long before = harness.reconciles();
    Secret source = harness.secret("src");
    source.getMetadata().getLabels().put("touched", Integer.toString(++touches));
    harness.client().resource(source).update();
    return before;
  }





  private double rollouts(String result) {
    return harness.runtime().registry().get(
        dev.reloadly.operator.metrics.CredentialMetrics.ROLLOUTS).tag("result", result)
        .counter().count();
  }
}
