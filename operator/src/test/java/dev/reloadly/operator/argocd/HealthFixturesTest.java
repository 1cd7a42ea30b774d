package dev.reloadly.operator.argocd;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.attested;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static dev.reloadly.operator.testing.CredentialFixtures.withConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the real operator on the mock API server into each state the Argo CD health check
 * (docs/argocd/health.lua) tells apart, and compares the credential with its committed fixture
 * under src/test/resources/argocd/, which {@link HealthScriptTest} runs the script on. After a
 * change to the operator's status, run with {@code -DupdateFixtures=true} to rewrite them.
 *
 * <p>Each credential attests the portal checks, so the state under test is its only finding.
 * Time-dependent states move the operator's clock.
 */
class HealthFixturesTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(30);

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(ID, "secret-1");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void fresh() {
    // Applied (by an Argo CD sync) before the operator reconciled it: no status at all.
    ReloadlyCredential applied = credential("fresh");
    applied.setStatus(null);
    create(applied);
    capture("fresh");
  }

  @Test
  void ready() {
    harness.start();
    CredentialSteps steps = create(credential("ready"));
    steps.awaitServedVersion();
    awaitReason("ready", Conditions.COMPLIANT, Conditions.CHECKS_PASS);
    capture("ready");
  }

  @Test
  void rotationDue() {
    harness.start();
    CredentialSteps steps = create(rotatingEvery("rotation-due", "6s", "3s"));
    steps.awaitServedVersion();
    clock.set(createdAt("rotation-due").plusSeconds(3));
    awaitReason("rotation-due", Conditions.ROTATION_DUE, Conditions.DUE);
    capture("rotation-due");
  }

  @Test
  void rotationOverdue() {
    harness.start();
    CredentialSteps steps = create(rotatingEvery("rotation-overdue", "6s", "3s"));
    steps.awaitServedVersion();
    clock.set(createdAt("rotation-overdue").plusSeconds(6));
    awaitReason("rotation-overdue", Conditions.ROTATION_OVERDUE, Conditions.OVERDUE);
    capture("rotation-overdue");
  }

  @Test
  void compromised() {
    harness.start();
    CredentialSteps steps = create(credential("compromised"));
    steps.awaitServedVersion();
    steps.annotate(ApiLabels.COMPROMISED, "token pasted in a public channel");
    awaitReason("compromised", Conditions.READY, Conditions.NO_VALID_VERSION);
    assertThat(harness.condition("compromised", Conditions.CREDENTIAL_COMPROMISED))
        .map(Condition::getStatus).contains(Conditions.TRUE);
    capture("compromised");
  }

  @Test
  void invalidNewVersion() {
    harness.start();
    CredentialSteps steps = create(credential("invalid-new-version"));
    steps.awaitServedVersion();
    steps.offer("typo-in-the-new-secret");
    awaitReason("invalid-new-version", Conditions.CREDENTIAL_VALID,
        Conditions.INVALID_CREDENTIALS);
    capture("invalid-new-version");
  }

  @Test
  void rolloutStalled() {
    harness.start();
    Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
        "api", "rollout-stalled-reloadly", Workloads.Reading.VOLUME));
    CredentialSteps steps = create(
        withConsumer(credential("rollout-stalled"), WorkloadKind.Deployment, "api"));
    steps.awaitServedVersion();
    awaitReason("rollout-stalled", Conditions.ROLLOUT_COMPLETE, Conditions.ROLLED_OUT);
    steps.rotate("secret-2");
    // consumers.delay (10s) passes, the Deployment is restarted and never becomes healthy within
    // consumers.timeout (10m).
    clock.advance(Duration.ofSeconds(10));
    steps.touchSource();
    awaitReason("rollout-stalled", Conditions.ROLLOUT_COMPLETE, Conditions.ROLLOUT_IN_PROGRESS);
    Workloads.progressing(harness.client(), WorkloadKind.Deployment, NAMESPACE, "api");
    clock.advance(Duration.ofMinutes(10));
    steps.touchSource();
    awaitReason("rollout-stalled", Conditions.ROLLOUT_COMPLETE, Conditions.ROLLOUT_STALLED);
    capture("rollout-stalled");
  }

  @Test
  void complianceBlocked() {
    harness.start();
    // A live credential's first release waits while a check fails: here the attestations are
    // missing (enforcement block is the default for live).
    ReloadlyCredential credential = secretRefCredential("compliance-blocked", "src",
        TargetMode.TOKEN);
    credential.getSpec().setEnvironment(Environment.LIVE);
    create(credential);
    awaitReason("compliance-blocked", Conditions.READY, Conditions.COMPLIANCE_BLOCKED);
    capture("compliance-blocked");
  }

  @Test
  void staleGeneration() {
    harness.start();
    CredentialSteps steps = create(credential("stale-generation"));
    steps.awaitServedVersion();
    awaitReason("stale-generation", Conditions.READY, Conditions.RECONCILED);
    harness.awaitSettled();
    // The spec is edited while no operator runs, so nothing observes the new generation.
    harness.stop();
    long generation = harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE)
        .withName("stale-generation").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"owner\":{\"team\":\"payments-oncall\"}}}")
        .getMetadata().getGeneration();
    assertThat(harness.credential("stale-generation").getStatus().getObservedGeneration())
        .isLessThan(generation);
    capture("stale-generation");
  }

  /** A sandbox secretRef credential whose attestations pass, reading Secret src. */
  private ReloadlyCredential credential(String name) {
    return attested(secretRefCredential(name, "src", TargetMode.TOKEN),
        LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1));
  }

  private ReloadlyCredential rotatingEvery(String name, String maxAge, String renewBefore) {
    ReloadlyCredential credential = credential(name);
    RotationPolicy rotation = new RotationPolicy();
    rotation.setMaxAge(maxAge);
    rotation.setRenewBefore(renewBefore);
    credential.getSpec().setRotation(rotation);
    return credential;
  }

  private CredentialSteps create(ReloadlyCredential credential) {
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    harness.client().resource(credential).create();
    return new CredentialSteps(harness, credential.getMetadata().getName(), "src", ID, WAIT);
  }

  private Instant createdAt(String name) {
    return Instant.parse(harness.credential(name).getStatus().getVersions().get(0)
        .getCreatedAt());
  }

  private void awaitReason(String name, String type, String reason) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(harness.condition(name, type))
        .as("%s of %s", type, name).map(Condition::getReason).contains(reason));
  }

  /** Once the operator (if running) has nothing left to write, the credential against its fixture. */
  private void capture(String name) {
    if (harness.runtime() != null) {
      harness.awaitSettled();
    }
    HealthFixtures.check(name, harness.client().genericKubernetesResources(
        HasMetadata.getApiVersion(ReloadlyCredential.class), HasMetadata.getKind(
            ReloadlyCredential.class)).inNamespace(NAMESPACE).withName(name).get());
  }
}
