package dev.reloadly.operator.reliability;

import static dev.reloadly.operator.testing.CredentialFixtures.NAMESPACE;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.RotationPolicy;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.config.LeaderElection;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.CrdDiscovery;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.testing.OperatorHarness.Replica;
import dev.reloadly.operator.testing.Workloads;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One failover run: the test API server with a {@link WriteRecorder} in front (and PolicyReport
 * discovery), the Reloadly simulator, and operator replicas with leader election on short
 * timings, each with its own client, User-Agent, token client and /metrics port. The credential
 * serves a token and has two consumer Deployments, rolled one at a time.
 */
final class Failover implements AutoCloseable {
  /** Short, in the order the Lease protocol needs, like LeaderElectionTest's. */
  static final Duration LEASE = Duration.ofSeconds(3);
  static final Duration RENEW = Duration.ofSeconds(2);
  static final Duration RETRY = Duration.ofMillis(250);
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String LEADER = "replica-a";
  static final String STANDBY = "replica-b";
  static final String CREDENTIAL = "shop";
  static final String SOURCE = "src";
  static final String TARGET = "shop-reloadly";
  static final List<String> CONSUMERS = List.of("checkout", "payouts");

  final WriteRecorder writes = new WriteRecorder();
  /** Started before any replica, so it sees their every log line. */
  final SecretHygiene hygiene = SecretHygiene.start();
  final OperatorHarness harness;
  final CredentialSteps steps;
  private final String clientId;
  private final Map<String, Replica> replicas = new ConcurrentHashMap<>();
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  Failover(String clientId, String secret) {
    this.clientId = clientId;
    harness = new OperatorHarness(Clock.systemUTC(), EmbeddedApiServer.start(crud -> writes.apply(
        new CrdDiscovery(crud, "wgpolicyk8s.io/v1alpha2", "PolicyReport", "policyreports",
            true))));
    harness.simulator().allowCredential(clientId, secret);
    steps = new CredentialSteps(harness, CREDENTIAL, SOURCE, clientId, WAIT);
    harness.client().resource(sourceSecret(SOURCE, clientId, secret)).create();
    for (String name : CONSUMERS) {
      Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment, NAMESPACE,
          name, TARGET, Workloads.Reading.VOLUME));
    }
  }

  /**
   * Starts replica {@code identity}; its token client goes through {@code wrapper} and counts
   * what it asks Reloadly for.
   */
  Replica start(String identity, UnaryOperator<ReloadlyTokenClient> wrapper) {
    int port = SecretHygiene.freePort();
    ports.put(identity, port);
    AtomicInteger count = requests.computeIfAbsent(identity, i -> new AtomicInteger());
    Replica replica = harness.startReplica(harness.config().withMetricsPort(port)
        .withLeaderElection(new LeaderElection(true, LeaderElection.DEFAULT_LEASE_NAME,
            identity, LEASE, RENEW, RETRY, false)),
        inner -> wrapper.apply((id, secret, audience) -> {
          count.incrementAndGet();
          return inner.requestToken(id, secret, audience);
        }));
    replicas.put(identity, replica);
    return replica;
  }

  Replica replica(String identity) {
    return replicas.get(identity);
  }

  /** Token requests replica {@code identity} sent to Reloadly. */
  int requestsBy(String identity) {
    return requests.getOrDefault(identity, new AtomicInteger()).get();
  }

  /** The credential: token mode, both Deployments restarted one at a time, no delays. */
  void createCredential() {
    ReloadlyCredential credential = secretRefCredential(CREDENTIAL, SOURCE, TargetMode.TOKEN);
    RotationPolicy rotation = new RotationPolicy();
    rotation.setGracePeriod("0s");
    credential.getSpec().setRotation(rotation);
    Consumers consumers = new Consumers();
    consumers.setStrategy(RolloutStrategy.RESTART);
    consumers.setDelay("0s");
    consumers.setMaxConcurrent(1);
    consumers.setWorkloads(CONSUMERS.stream().map(name -> {
      WorkloadRef ref = new WorkloadRef();
      ref.setKind(WorkloadKind.Deployment);
      ref.setName(name);
      return ref;
    }).toList());
    credential.getSpec().setConsumers(consumers);
    harness.client().resource(credential).create();
  }

  /** Tokens the simulator issued to this client ID. */
  long tokensIssued() {
    return harness.simulator().issuedTokens().stream()
        .filter(t -> t.clientId().equals(clientId)).count();
  }

  long generation(String deployment) {
    return Workloads.get(harness.client(), WorkloadKind.Deployment, NAMESPACE, deployment)
        .getMetadata().getGeneration();
  }

  String restartedFor(String deployment) {
    return Workloads.restartedFor(harness.client(), WorkloadKind.Deployment, NAMESPACE,
        deployment);
  }

  /** Successful restart patches of {@code deployment} (the test plays its controller by PUT). */
  List<WriteRecorder.Write> restarts(String deployment) {
    return writes.writes().stream().filter(w -> w.succeeded() && "PATCH".equals(w.method())
        && w.path().endsWith("/deployments/" + deployment)).toList();
  }

  /** status.rollout as JSON, for a failure message (it names workloads and versions only). */
  String rolloutStatus() {
    ReloadlyCredential credential = harness.credential(CREDENTIAL);
    return credential.getStatus() == null ? "none" : harness.client().getKubernetesSerialization()
        .asJson(credential.getStatus().getRollout());
  }

  /** The ledger in the store Secret, as the operator wrote it. */
  VersionLedger ledger() {
    return StoredVersions.parse(harness.secret(StoredVersions.secretName(CREDENTIAL)).getData())
        .ledger();
  }

  URI metrics(String identity) {
    return URI.create("http://127.0.0.1:" + ports.get(identity) + "/metrics");
  }

  /**
   * Waits until the API server has seen no write for {@link OperatorHarness#QUIET}, the leader's
   * Lease renewals aside.
   */
  void awaitQuiet() {
    long[] last = {-1};
    await().during(OperatorHarness.QUIET).atMost(WAIT).until(() -> {
      long now = writes.writes().stream().filter(w -> !w.toLease()).count();
      boolean same = now == last[0];
      last[0] = now;
      return same;
    });
  }

  /**
   * How a Lease handover went, from what the replicas wrote into the Lease.
   *
   * @param stopToLead from the stop to the standby's acquiring write
   * @param renewToLead from the old leader's last renewal (renewTime it wrote) to that write
   * @param stopToWork from the stop to the new leader's first write that is not the Lease
   */
  record Takeover(Duration stopToLead, Duration renewToLead, Duration stopToWork) {}

  /** The handover from {@code from} to {@code to} after a stop at {@code stoppedAt}. */
  Takeover takeover(String from, String to, Instant stoppedAt) {
    WriteRecorder.Write acquired = writes.leaseWritesHeldBy(to).stream().findFirst()
        .orElseThrow(() -> new AssertionError(to + " never wrote itself into the Lease"));
    Instant lastRenewal = writes.leaseWritesHeldBy(from).stream()
        .map(w -> w.lease().getSpec().getRenewTime().toInstant())
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError(from + " never held the Lease"));
    Optional<Instant> firstWork = writes.by(to).stream().filter(w -> !w.toLease())
        .map(WriteRecorder.Write::at).findFirst();
    return new Takeover(Duration.between(stoppedAt, acquired.at()),
        Duration.between(lastRenewal, acquired.at()),
        firstWork.map(at -> Duration.between(stoppedAt, at)).orElse(null));
  }

  @Override
  public void close() {
    try {
      harness.close();
    } finally {
      hygiene.close();
    }
  }
}
