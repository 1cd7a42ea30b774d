package dev.reloadly.operator.reliability;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static dev.reloadly.operator.testing.CredentialFixtures.withConsumer;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.RolloutStatus;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.config.LeaderElection;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.keys.OperatorKeyStore;
import dev.reloadly.operator.keys.OperatorKeys;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.VersionState;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A secretRef credential in mode {@code both} serving version A, with two consumer Deployments
 * under {@code restart} ({@value #CHECKOUT} mounts the Secret, {@value #PAYOUTS} takes it all from
 * the environment, token included), {@code maxConcurrent: 2}, {@code delay: 0s} and
 * {@code gracePeriod: 0s}, on a fresh API server whose every accepted write is checked by
 * {@link WriteInvariants}; then one of two stories. A rotation: the source offers B, Reloadly
 * answers its first test with a 503 (so B is stored pending before it is promoted), B is served,
 * the workloads roll, A retires. A compromise: A is reported compromised and withdrawn, the
 * workloads restart onto the withdrawn Secret, the source offers C, C is served and rolled.
 *
 * <p>The operator runs as numbered processes ({@code op-1}, {@code op-2}); when the armed crash
 * point kills one, the next start replaces it, as a Deployment's controller would. The test plays
 * the Deployment controller and moves the clock.
 */
final class CrashScenario implements AutoCloseable {
  static final String CREDENTIAL = "shop";
  static final String TARGET = "shop-reloadly";
  static final String SOURCE = "shop-source";
  static final String CHECKOUT = "checkout";
  static final String PAYOUTS = "payouts";
  static final String CLIENT_ID = "crash-client";
  static final String SECRET_A = "crash-secret-a";
  static final String SECRET_B = "crash-secret-b";
  static final String SECRET_C = "crash-secret-c";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final ClusterSnapshot.Names NAMES = new ClusterSnapshot.Names(
      OperatorHarness.OPERATOR_NAMESPACE, NAMESPACE, CREDENTIAL, TARGET,
      List.of(CHECKOUT, PAYOUTS));

  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final CrashFront front;
  final OperatorHarness harness;
  final OperatorKeys keys;
  final IssuedTokens tokens;
  final WriteInvariants invariants;
  final String versionA;
  final String versionB;
  final String versionC;
  private OperatorHarness.Replica operator;
  private int incarnation;
  private Runnable beforeRestart = () -> { };
  private long restartedAt;
  private Duration convergedAfterRestart;
  private int touches;
  private boolean armed;
  private long requestsAtRestart = -1;
  private boolean movedPastRefusal;

  CrashScenario() {
    AtomicReference<CrashFront> created = new AtomicReference<>();
    EmbeddedApiServer server = EmbeddedApiServer.start(crud -> {
      created.set(new CrashFront(crud, NAMES));
      return created.get();
    });
    front = created.get();
    harness = new OperatorHarness(clock, server);
    // The keys the operator will load: created here, so the test can fingerprint and decrypt.
    keys = new OperatorKeyStore(harness.client(), OperatorHarness.OPERATOR_NAMESPACE, clock,
        new SecureRandom()).loadOrCreate();
    tokens = new IssuedTokens(keys.fingerprinter());
    invariants = new WriteInvariants(NAMES, keys, tokens);
    versionA = fingerprint(SECRET_A);
    versionB = fingerprint(SECRET_B);
    versionC = fingerprint(SECRET_C);
    invariants.name(versionA, "A");
    invariants.name(versionB, "B");
    invariants.name(versionC, "C");
    front.check(invariants);
  }

  /** Version A served, consumers running on it, the operator idle; then writes are numbered. */
  CrashScenario servingA() {
    harness.simulator().allowCredential(CLIENT_ID, SECRET_A);
    harness.client().resource(sourceSecret(SOURCE, CLIENT_ID, SECRET_A)).create();
    Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
        CHECKOUT, TARGET, Workloads.Reading.VOLUME));
    Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
        PAYOUTS, TARGET, Workloads.Reading.ENV_FROM));
    ReloadlyCredential credential = secretRefCredential(CREDENTIAL, SOURCE, TargetMode.BOTH);
    withConsumer(credential, WorkloadKind.Deployment, CHECKOUT);
    withConsumer(credential, WorkloadKind.Deployment, PAYOUTS);
    credential.getSpec().getConsumers().setStrategy(RolloutStrategy.RESTART);
    credential.getSpec().getConsumers().setMaxConcurrent(2);
    credential.getSpec().getConsumers().setDelay("0s");
    RotationPolicy rotation = new RotationPolicy();
    rotation.setGracePeriod("0s");
    credential.getSpec().setRotation(rotation);
    harness.client().resource(credential).create();
    startOperator();
    drive("A served and rolled out", () -> versionA.equals(served())
        && reason(Conditions.READY).equals(Conditions.RECONCILED)
        && reason(Conditions.ROLLOUT_COMPLETE).equals(Conditions.ROLLED_OUT));
    idle();
    front.record();
    return this;
  }

  /** Kills the operator process that makes the write of {@code point}. */
  CrashScenario arm(CrashPoint point) {
    front.arm(point);
    armed = true;
    return this;
  }

  /**
   * Reloadly answers the replacement process's first token request with 429 (Retry-After 30 s);
   * once it was asked, the clock moves past that, so the story can go on.
   */
  CrashScenario reloadlyDownAtRestart() {
    return beforeRestart(() -> {
      requestsAtRestart = harness.simulator().totalRequests();
      harness.simulator().rateLimitNext(1, Duration.ofSeconds(30));
    });
  }

  /** Whether the replacement process asked Reloadly and was refused (see reloadlyDownAtRestart). */
  boolean refusedAtRestart() {
    return requestsAtRestart >= 0 && harness.simulator().totalRequests() > requestsAtRestart;
  }

  /** Runs between the killed process's end and its replacement's start. */
  CrashScenario beforeRestart(Runnable action) {
    this.beforeRestart = action;
    return this;
  }

  /** The owner rotates in the portal and updates the source; B is refused once (503), then tested. */
  CrashScenario offerB() {
    harness.simulator().rotateCredential(CLIENT_ID, SECRET_B);
    harness.simulator().failNext(1, 503);
    harness.client().resource(new SecretBuilder(harness.secret(SOURCE))
        .withData(Map.of("client_id", b64(CLIENT_ID), "client_secret", b64(SECRET_B))).build())
        .update();
    drive("B stored", () -> stored().flatMap(s -> s.ledger().find(versionB)).isPresent());
    // Past the validation backoff (at most 1 s after one failure).
    clock.advance(Duration.ofSeconds(2));
    touch();
    return this;
  }

  /** Waits for B served, both workloads restarted for it and healthy, A retired. */
  CrashScenario convergedOnB() {
    return converged("converged on B", this::onB);
  }

  /**
   * A person reports A compromised: waits until the target no longer serves it and both workloads
   * were restarted onto the withdrawn Secret (at once: a compromise ignores delay and bounds).
   */
  CrashScenario reportACompromised() {
    harness.client().resources(ReloadlyCredential.class).inNamespace(NAMESPACE)
        .withName(CREDENTIAL).patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + ApiLabels.COMPROMISED
                + "\":\"found in a build log\"}}}");
    drive("A withdrawn and the workloads restarted", () -> {
      ClusterSnapshot s = front.snapshot();
      RolloutStatus rollout = rollout(s);
      return s.target() != null && served() == null
          && rollout != null && ("withdrawn-" + versionA).equals(rollout.getRevision())
          && rollout.getCompletedAt() != null;
    });
    return this;
  }

  /** The owner issues C in the portal and puts it in the source. */
  CrashScenario offerC() {
    harness.simulator().rotateCredential(CLIENT_ID, SECRET_C);
    harness.client().resource(new SecretBuilder(harness.secret(SOURCE))
        .withData(Map.of("client_id", b64(CLIENT_ID), "client_secret", b64(SECRET_C))).build())
        .update();
    return this;
  }

  /** Waits for C served, both workloads restarted for it and healthy, the incident resolved. */
  CrashScenario convergedOnC() {
    return converged("converged on C", this::onC);
  }

  private CrashScenario converged(String what, BooleanSupplier state) {
    // With a crash armed, the state is converged only once the replacement process runs: a crash
    // after the last write leaves a converged cluster behind a dead process.
    drive(what, () -> (!armed || restartedAt != 0) && state.getAsBoolean());
    if (restartedAt != 0 && convergedAfterRestart == null) {
      convergedAfterRestart = Duration.ofNanos(System.nanoTime() - restartedAt);
    }
    return this;
  }

  /** A reconcile after convergence: returns the operator writes it made (0 when idle). */
  int idle() {
    int before = front.operatorWrites().size();
    double reconciles = reconciles();
    touch();
    drive("a reconcile after the touch", () -> reconciles() > reconciles);
    return front.operatorWrites().size() - before;
  }

  boolean onB() {
    return rolledOutOnto(versionB, Map.of(versionB, VersionState.CURRENT,
        versionA, VersionState.RETIRED));
  }

  boolean onC() {
    return rolledOutOnto(versionC, Map.of(versionC, VersionState.CURRENT,
        versionA, VersionState.COMPROMISED))
        && stored().map(st -> st.ledger().incidents().stream()
            .allMatch(i -> i.resolvedAt() != null)).orElse(false);
  }

  /**
   * {@code version} served, Ready, every workload restarted for it and healthy, the store's
   * versions in {@code states} and its generation recorded in status.
   */
  private boolean rolledOutOnto(String version, Map<String, VersionState> states) {
    ClusterSnapshot s = front.snapshot();
    Optional<StoredVersions> store = stored();
    RolloutStatus rollout = rollout(s);
    return version.equals(served())
        && states.entrySet().stream().allMatch(e -> store.flatMap(st -> st.ledger()
            .find(e.getKey())).map(CredentialVersion::state).orElse(null) == e.getValue())
        && reason(Conditions.READY).equals(Conditions.RECONCILED)
        && reason(Conditions.ROLLOUT_COMPLETE).equals(Conditions.ROLLED_OUT)
        && rollout != null && version.equals(rollout.getRevision())
        && rollout.getCompletedAt() != null
        && store.map(StoredVersions::generation).orElse(-1L)
            .equals(s.credential().getStatus().getStoreGeneration())
        && NAMES.deployments().stream().allMatch(w -> Optional.ofNullable(
            s.templateAnnotation(w, ApiLabels.RESTARTED_FOR))
            .filter(r -> r.startsWith(version)).isPresent());
  }

  private static RolloutStatus rollout(ClusterSnapshot s) {
    return s.credential() == null || s.credential().getStatus() == null ? null
        : s.credential().getStatus().getRollout();
  }

  /** Polls {@code condition}, restarting a killed operator and playing the Deployment controller. */
  void drive(String what, BooleanSupplier condition) {
    try {
      await(what).atMost(WAIT).pollInSameThread().pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(20)).until(() -> {
            superviseOperator();
            if (refusedAtRestart() && !movedPastRefusal) {
              movedPastRefusal = true;
              clock.advance(Duration.ofSeconds(31));
              touch();
            }
            playDeploymentControllers();
            return condition.getAsBoolean();
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + " did not happen within " + WAIT + "; " + state(), e);
    }
  }

  /** What the cluster holds, for a failure message: versions by letter, never a value. */
  String state() {
    ClusterSnapshot s = front.snapshot();
    StringBuilder out = new StringBuilder("target serves ")
        .append(invariants.letter(served()));
    stored().ifPresent(st -> out.append("; store generation ").append(st.generation())
        .append(": ").append(st.ledger().versions().stream()
            .map(v -> invariants.letter(v.fingerprint()) + " " + v.state().wireName())
            .collect(Collectors.joining(", "))));
    if (s.credential() != null && s.credential().getStatus() != null) {
      out.append("; status: ").append(s.credential().getStatus().getConditions().stream()
          .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason())
          .collect(Collectors.joining(", ")));
      RolloutStatus rollout = s.credential().getStatus().getRollout();
      if (rollout != null) {
        out.append("; rollout ").append(rollout.getTrigger()).append(" of ")
            .append(invariants.letter(rollout.getRevision()))
            .append(rollout.getCompletedAt() == null ? " unfinished" : " completed");
      }
      out.append("; status store generation ")
          .append(s.credential().getStatus().getStoreGeneration());
    }
    NAMES.deployments().forEach(w -> out.append("; ").append(w).append(" restarted for ")
        .append(s.templateAnnotation(w, ApiLabels.RESTARTED_FOR) == null ? "nothing"
            : invariants.letter(s.templateAnnotation(w, ApiLabels.RESTARTED_FOR)
                .split("\\+token-", 2)[0])));
    out.append("; crashed after ").append(front.crashedAt() == null ? "nothing"
        : front.crashedAt().step()).append("; operator writes: ")
        .append(front.operatorWrites().stream().map(w -> w.agent() + " " + w.step())
            .collect(Collectors.joining(" | ")));
    out.append("; violations: ").append(invariants.violations());
    return out.toString();
  }

  /** Replaces a killed operator process with a new one, once. */
  void superviseOperator() {
    if (front.crashedAt() != null && restartedAt == 0) {
      operator.close();
      beforeRestart.run();
      restartedAt = System.nanoTime();
      startOperator();
    }
  }

  private void startOperator() {
    String agent = CrashFront.OPERATOR_AGENT + (++incarnation);
    operator = harness.startReplica(harness.config().withLeaderElection(new LeaderElection(false,
        LeaderElection.DEFAULT_LEASE_NAME, agent, LeaderElection.DEFAULT_LEASE_DURATION,
        LeaderElection.DEFAULT_RENEW_DEADLINE, LeaderElection.DEFAULT_RETRY_PERIOD, false)),
        inner -> tokens.recording(inner, () -> front.refuses(agent)));
  }

  /**
   * Rolls the first Deployment whose template changed, once the operator has recorded every
   * Deployment before it as finished: one at a time and in one order, so that every run makes the
   * same writes in the same order and a crash point names the same moment in each.
   */
  private void playDeploymentControllers() {
    RolloutStatus rollout = rollout(front.snapshot());
    for (String name : NAMES.deployments()) {
      GenericKubernetesResource w = Workloads.get(harness.client(), WorkloadKind.Deployment,
          NAMESPACE, name);
      if (rolled(w)) {
        boolean recorded = rollout == null || rollout.getWorkloads().stream()
            .filter(r -> r.getName().equals(name))
            .allMatch(r -> r.getStartedAt() == null || r.getFinishedAt() != null);
        if (!recorded) {
          return;
        }
        continue;
      }
      playDeploymentController(w);
      return;
    }
  }

  private static boolean rolled(GenericKubernetesResource w) {
    Object status = w.getAdditionalProperties().get("status");
    Object observed = status instanceof Map<?, ?> m ? m.get("observedGeneration") : null;
    long generation = w.getMetadata().getGeneration() == null ? 1 : w.getMetadata().getGeneration();
    return observed instanceof Number n && n.longValue() >= generation;
  }

  /**
   * What a Deployment controller does after a template change: observe the generation, roll the
   * pods, report every replica updated and available. A status update with the resourceVersion
   * read, so it never overwrites a restart the operator made in between.
   */
  private void playDeploymentController(GenericKubernetesResource w) {
    long generation = w.getMetadata().getGeneration() == null ? 1 : w.getMetadata().getGeneration();
    w.setAdditionalProperty("status", Map.of("observedGeneration", generation, "replicas", 2,
        "updatedReplicas", 2, "availableReplicas", 2, "readyReplicas", 2));
    try {
      harness.client().resource(w).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** Changes only an annotation of the source Secret: the operator reconciles. */
  void touch() {
    harness.client().secrets().inNamespace(NAMESPACE).withName(SOURCE)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":"
            + "{\"touched\":\"" + (++touches) + "\"}}}");
  }

  double reconciles() {
    return operator.runtime().registry().get(CredentialMetrics.RECONCILES).counter().count();
  }

  String served() {
    return ClusterSnapshot.annotation(front.snapshot().target(), ApiLabels.VERSION);
  }

  Optional<StoredVersions> stored() {
    ClusterSnapshot s = front.snapshot();
    return s.store() == null ? Optional.empty()
        : Optional.of(StoredVersions.parse(s.store().getData()));
  }

  String reason(String type) {
    ReloadlyCredential c = front.snapshot().credential();
    return c == null || c.getStatus() == null ? ""
        : Conditions.find(c.getStatus().getConditions(), type).map(Condition::getReason)
            .orElse("");
  }

  /** How long after the replacement process started the scenario converged; null without one. */
  Duration convergedAfterRestart() {
    return convergedAfterRestart;
  }

  int incarnations() {
    return incarnation;
  }

  private String fingerprint(String secret) {
    return keys.fingerprinter().fingerprint(CLIENT_ID.getBytes(StandardCharsets.UTF_8),
        secret.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    harness.close();
  }
}
