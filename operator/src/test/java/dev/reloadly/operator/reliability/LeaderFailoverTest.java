package dev.reloadly.operator.reliability;

import static dev.reloadly.operator.reliability.Failover.CONSUMERS;
import static dev.reloadly.operator.reliability.Failover.LEADER;
import static dev.reloadly.operator.reliability.Failover.LEASE;
import static dev.reloadly.operator.reliability.Failover.RETRY;
import static dev.reloadly.operator.reliability.Failover.STANDBY;
import static dev.reloadly.operator.reliability.Failover.WAIT;
import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.lifecycle.VersionState;
import dev.reloadly.operator.testing.OperatorHarness.Replica;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one API server with leader election on: the leader is stopped in the middle of
 * a rotation, and the standby takes the Lease and finishes it. Only the Lease holder writes; the
 * new version is promoted once, each consumer restarted once for it, and the standby asks
 * Reloadly for no token of its own. The secret hygiene check runs on each run.
 */
class LeaderFailoverTest {
  static final String ID = "CANARY-failover-client-Rq5Tz8";
  static final String SECRET_1 = "CANARY/failover+s3cr3t=one&Vb";
  static final String SECRET_2 = "CANARY/failover+s3cr3t=two&Wx";
  /** What a busy machine may add to the Lease protocol's own bound on a takeover. */
  static final Duration SCHEDULING_SLACK = Duration.ofSeconds(2);

  private final List<Failover> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(Failover::close);
    open.clear();
  }

  /** Stopped after the new version was promoted and served, with one of two consumers restarted. */
  @Test
  void aStandbyFinishesARotationTheStoppedLeaderLeftHalfRolledOut() {
    Failover.Takeover takeover = stopWhileRollingOut();
    System.out.println("takeover, leader stopped mid-rollout: " + describe(takeover));
  }

  /**
   * Stopped as Reloadly answers the new version's test with a token: the stopping leader finishes
   * that reconcile (it holds the Lease until it has), so the token is stored and served once and
   * the new leader asks for none.
   */
  @Test
  void aLeaderStoppedRightAfterMintingHandsOverWithoutASecondToken() {
    Failover.Takeover takeover = stopRightAfterTheMint();
    System.out.println("takeover, leader stopped right after the mint: " + describe(takeover));
  }

  /**
   * Takeover times over several failovers of each kind (-Dreliability.runs, 5 by default),
   * written to target/reliability/takeover.txt. Slow: run with -Preliability.
   */
  @Test
  @Tag("reliability")
  void takeoverTimesOverRepeatedFailovers() throws IOException {
    int runs = Integer.getInteger("reliability.runs", 5);
    Map<String, List<Failover.Takeover>> times = new HashMap<>();
    for (int i = 0; i < runs; i++) {
      times.computeIfAbsent("stopped mid-rollout", k -> new ArrayList<>())
          .add(stopWhileRollingOut());
      close();
      times.computeIfAbsent("stopped right after the mint", k -> new ArrayList<>())
          .add(stopRightAfterTheMint());
      close();
    }
    StringBuilder out = new StringBuilder("lease " + LEASE.toMillis() + " ms, renew deadline "
        + Failover.RENEW.toMillis() + " ms, retry " + RETRY.toMillis() + " ms; " + runs
        + " runs of each\n");
    times.forEach((kind, list) -> {
      out.append(kind).append('\n');
      out.append("  stop to lead:   ").append(summary(list, Failover.Takeover::stopToLead))
          .append('\n');
      out.append("  renew to lead:  ").append(summary(list, Failover.Takeover::renewToLead))
          .append('\n');
      out.append("  stop to work:   ").append(summary(list, Failover.Takeover::stopToWork))
          .append('\n');
      list.forEach(t -> out.append("    ").append(describe(t)).append('\n'));
    });
    Path file = Path.of("target", "reliability", "takeover.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out);
    System.out.println(out);
  }

  private Failover.Takeover stopWhileRollingOut() {
    Failover run = new Failover(ID, SECRET_1);
    open.add(run);
    startBoth(run, UnaryOperator.identity());
    Rotation rotation = rotate(run, ready(run));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(run.restartedFor("checkout")).isEqualTo(rotation.version());
      assertThat(run.steps.reason(Conditions.ROLLOUT_COMPLETE))
          .isEqualTo(Conditions.ROLLOUT_IN_PROGRESS);
    });
    assertThat(run.restartedFor("payouts")).as("waits for checkout to be healthy").isNull();
    long tokens = run.tokensIssued();

    // While both serve /metrics: the leader's goes away with it.
    canaries(run).assertClean(run.harness.client(), List.of(run.metrics(LEADER),
        run.metrics(STANDBY)));
    Instant stopped = Instant.now();
    run.replica(LEADER).close();

    Failover.Takeover takeover = finish(run, rotation, stopped);
    assertThat(run.tokensIssued()).as("no token minted during the handover").isEqualTo(tokens);
    assertThat(run.restarts("checkout")).as("checkout restarted by the old leader only")
        .singleElement().satisfies(w -> assertThat(w.agent()).isEqualTo(LEADER));
    assertThat(run.restarts("payouts")).as("payouts restarted by the new leader only")
        .singleElement().satisfies(w -> assertThat(w.agent()).isEqualTo(STANDBY));
    return takeover;
  }

  private Failover.Takeover stopRightAfterTheMint() {
    Failover run = new Failover(ID, SECRET_1);
    open.add(run);
    AtomicBoolean armed = new AtomicBoolean();
    AtomicReference<Instant> stopped = new AtomicReference<>();
    AtomicReference<Thread> stopping = new AtomicReference<>();
    // As the leader's token client has Reloadly's answer in hand, the replica is told to stop
    // (a SIGTERM) while the reconcile that asked goes on.
    startBoth(run, inner -> (id, secret, audience) -> {
      TokenResult result = inner.requestToken(id, secret, audience);
      if (result instanceof TokenResult.Issued && armed.compareAndSet(true, false)) {
        stopped.set(Instant.now());
        Thread stop = new Thread(() -> run.replica(LEADER).close(), "stop " + LEADER);
        stopping.set(stop);
        stop.start();
      }
      return result;
    });
    String previous = ready(run);
    long tokens = run.tokensIssued();
    armed.set(true);
    Rotation rotation = rotate(run, previous);
    await().atMost(WAIT).until(() -> stopping.get() != null && !stopping.get().isAlive());
    assertThat(run.tokensIssued()).as("the new version's test minted one token")
        .isEqualTo(tokens + 1);
    assertThat(run.steps.servedVersion())
        .as("the stopping leader finished the reconcile that minted: stored and served")
        .isEqualTo(rotation.version());

    Failover.Takeover takeover = finish(run, rotation, stopped.get());
    assertThat(run.tokensIssued()).as("no second token for the new version")
        .isEqualTo(tokens + 1);
    for (String name : CONSUMERS) {
      assertThat(run.restarts(name)).as("restarts of " + name).hasSize(1);
    }
    return takeover;
  }

  /** Starts the leader, then the standby once the leader leads and its caches are filled. */
  private static void startBoth(Failover run, UnaryOperator<ReloadlyTokenClient> wrapper) {
    Replica leader = run.start(LEADER, wrapper);
    await().atMost(WAIT).until(() -> leader.runtime().leading());
    Replica standby = run.start(STANDBY, UnaryOperator.identity());
    await().atMost(WAIT).until(() -> standby.runtime().readiness().ready());
  }

  /** The fingerprints before and after, and the new version's promotion as first recorded. */
  record Rotation(String previous, String version, CredentialVersion promoted,
      Map<String, Long> generations) {}

  /** The credential, Ready on the first secret and rolled out; returns the served version. */
  private static String ready(Failover run) {
    run.createCredential();
    String served = run.steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() -> assertThat(run.steps.reason(
        Conditions.ROLLOUT_COMPLETE)).isEqualTo(Conditions.ROLLED_OUT));
    return served;
  }

  /** Rotated from {@code previous} to the second secret: returns once that is served. */
  private static Rotation rotate(Failover run, String previous) {
    Map<String, Long> generations = CONSUMERS.stream()
        .collect(Collectors.toMap(n -> n, run::generation));
    String version = run.steps.rotate(SECRET_2);
    CredentialVersion promoted = run.ledger().find(version).orElseThrow();
    return new Rotation(previous, version, promoted, generations);
  }

  /**
   * After the stop: the standby takes the Lease, the test plays the Deployment controller, the
   * rollout completes; then what must have held, whatever the stop point was.
   */
  private Failover.Takeover finish(Failover run, Rotation rotation, Instant stopped) {
    Replica standby = run.replica(STANDBY);
    await().atMost(WAIT).until(() -> standby.runtime().leading());

    Workloads.healthy(run.harness.client(), "Deployment", NAMESPACE, "checkout");
    await().atMost(WAIT).untilAsserted(() -> assertThat(run.restartedFor("payouts"))
        .as("payouts restarted; status.rollout %s", run.rolloutStatus())
        .isEqualTo(rotation.version()));
    Workloads.healthy(run.harness.client(), "Deployment", NAMESPACE, "payouts");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(run.steps.reason(Conditions.ROLLOUT_COMPLETE)).isEqualTo(Conditions.ROLLED_OUT);
      assertThat(run.steps.state(rotation.previous())).isEqualTo("retired");
    });
    run.awaitQuiet();
    Failover.Takeover takeover = run.takeover(LEADER, STANDBY, stopped);

    // The Lease: taken only once it had expired, and within the protocol's bound after that.
    assertThat(takeover.renewToLead()).as("taken only after the lease duration")
        .isGreaterThanOrEqualTo(LEASE);
    assertThat(takeover.renewToLead()).as("taken within a lease duration and two retries")
        .isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(22).dividedBy(10))
            .plus(SCHEDULING_SLACK));
    // Only the Lease holder writes: the old leader before the handover, the new one after.
    Instant acquired = stopped.plus(takeover.stopToLead());
    assertThat(run.writes.by(LEADER)).as("writes of the stopped leader").isNotEmpty()
        .allSatisfy(w -> assertThat(w.at()).as(w.method() + " " + w.path())
            .isBeforeOrEqualTo(acquired));
    assertThat(run.writes.by(STANDBY)).as("writes of the standby").isNotEmpty()
        .allSatisfy(w -> assertThat(w.at()).as(w.method() + " " + w.path())
            .isAfterOrEqualTo(acquired));
    assertThat(run.requestsBy(STANDBY)).as("the new leader asked Reloadly for nothing")
        .isZero();

    // One rotation: two versions in the ledger, the new one promoted once, as first recorded.
    VersionLedger ledger = run.ledger();
    assertThat(ledger.versions()).extracting(CredentialVersion::fingerprint)
        .containsExactlyInAnyOrder(rotation.previous(), rotation.version());
    CredentialVersion current = ledger.current().orElseThrow();
    assertThat(current.fingerprint()).isEqualTo(rotation.version());
    assertThat(current.state()).isEqualTo(VersionState.CURRENT);
    assertThat(current.validatedAt()).as("not tested again by the new leader")
        .isEqualTo(rotation.promoted().validatedAt());
    assertThat(run.harness.credential(Failover.CREDENTIAL).getStatus().getVersions())
        .hasSize(2);
    // One restart per consumer: its pod template changed once, to the new version.
    for (String name : CONSUMERS) {
      assertThat(run.generation(name)).as("pod template changes of " + name)
          .isEqualTo(rotation.generations().get(name) + 1);
      assertThat(run.restartedFor(name)).isEqualTo(rotation.version());
    }

    canaries(run).assertClean(run.harness.client(), List.of(run.metrics(STANDBY)));
    return takeover;
  }

  /** The run's hygiene check, told every canary so far: the client's values and its tokens. */
  private static SecretHygiene canaries(Failover run) {
    return run.hygiene.canary("client ID", ID).canary("client secret 1", SECRET_1)
        .canary("client secret 2", SECRET_2).tokensIssuedBy(run.harness.simulator());
  }

  private static String describe(Failover.Takeover t) {
    return "stop to lead " + t.stopToLead().toMillis() + " ms, renew to lead "
        + t.renewToLead().toMillis() + " ms, stop to work "
        + (t.stopToWork() == null ? "-" : t.stopToWork().toMillis() + " ms");
  }

  private static String summary(List<Failover.Takeover> list,
      java.util.function.Function<Failover.Takeover, Duration> what) {
    List<Long> millis = list.stream().map(what).filter(d -> d != null).map(Duration::toMillis)
        .sorted(Comparator.naturalOrder()).toList();
    if (millis.isEmpty()) {
      return "-";
    }
    long median = millis.size() % 2 == 1 ? millis.get(millis.size() / 2)
        : (millis.get(millis.size() / 2 - 1) + millis.get(millis.size() / 2)) / 2;
    return "min " + millis.get(0) + " ms, median " + median + " ms, max "
        + millis.get(millis.size() - 1) + " ms (n=" + millis.size() + ")";
  }
}
