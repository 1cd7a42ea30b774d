package dev.reloadly.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.OperatorRuntime;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.simulator.ReloadlySimulator;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An embedded API server with the CRD installed, a local Reloadly simulator, and the real operator
 * runtime running against both.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final String OPERATOR_NAMESPACE = "reloadly-system";
  /** How long an idle check watches for writes once a reconcile is known to have finished. */
  public static final Duration QUIET = Duration.ofSeconds(2);

  private final EmbeddedApiServer server;
  private final KubernetesClient client;
  private final ReloadlySimulator simulator;
  private final Clock clock;
  private UnaryOperator<ReloadlyTokenClient> tokenClientWrapper = UnaryOperator.identity();
  private OperatorRuntime runtime;
  private KubernetesClient operatorClient;
  private final List<Replica> replicas = new ArrayList<>();

  public OperatorHarness(Clock clock) {
    this(clock, EmbeddedApiServer.start());
  }

  /** Runs against the given server, e.g. one with an authorizer in front. */
  public OperatorHarness(Clock clock, EmbeddedApiServer server) {
    this.clock = clock;
    this.server = server;
    this.client = server.newClient();
    this.simulator = new ReloadlySimulator(clock).start();
    server.installCrd(client);
  }

  /** Wraps the operator's token client, e.g. to count or delay requests. */
  public OperatorHarness wrapTokenClient(UnaryOperator<ReloadlyTokenClient> wrapper) {
    this.tokenClientWrapper = wrapper;
    return this;
  }

  public OperatorHarness start() {
    return start(config());
  }

  public OperatorHarness start(OperatorConfig config) {
    operatorClient = server.newOperatorClient();
    runtime = OperatorRuntime.start(operatorClient, config, clock,
        tokenClientWrapper.apply(new HttpReloadlyTokenClient(simulator.url(), clock)));
    return this;
  }

  public OperatorConfig config() {
    return OperatorConfig.defaults(OPERATOR_NAMESPACE).withMetricsPort(0)
        .withAuthUrl(simulator.url());
  }

  /**
   * Starts one more operator replica with its own client against the same server, as a second pod
   * would; the client's User-Agent is the replica's leader identity. {@link #close()} stops it
   * unless the test did.
   */
  public Replica startReplica(OperatorConfig config, UnaryOperator<ReloadlyTokenClient> wrapper) {
    KubernetesClient replicaClient =
        server.newOperatorClient(config.leaderElection().identity());
    Replica replica = new Replica(OperatorRuntime.start(replicaClient, config, clock,
        wrapper.apply(new HttpReloadlyTokenClient(simulator.url(), clock))), replicaClient);
    replicas.add(replica);
    return replica;
  }

  /** An operator replica and the client it alone uses. */
  public static final class Replica implements AutoCloseable {
    private final OperatorRuntime runtime;
    private final KubernetesClient client;
    private boolean closed;

    Replica(OperatorRuntime runtime, KubernetesClient client) {
      this.runtime = runtime;
      this.client = client;
    }

    public OperatorRuntime runtime() {
      return runtime;
    }

    /**
     * Stops this replica, as a deleted pod would: a leader finishes the reconciles under way and
     * stops renewing the Lease (it does not release it; a follower takes it once it expires).
     */
    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        runtime.close();
        client.close();
      }
    }
  }

  /** Stops the operator, as a crash or a rollout of the operator would. */
  public void stop() {
    if (runtime != null) {
      runtime.close();
      operatorClient.close();
      runtime = null;
    }
  }

  public OperatorRuntime runtime() {
    return runtime;
  }

  public KubernetesClient client() {
    return client;
  }

  public EmbeddedApiServer server() {
    return server;
  }

  public ReloadlySimulator simulator() {
    return simulator;
  }

  /** Reconciles the running operator has finished, status writes included; 0 when stopped. */
  public long reconciles() {
    return runtime == null ? 0
        : (long) runtime.registry().get(CredentialMetrics.RECONCILES).counter().count();
  }

  /** Waits until the running operator has finished more than {@code before} reconciles. */
  public void awaitReconcileAfter(long before) {
    await().atMost(Duration.ofSeconds(30)).until(() -> reconciles() > before);
  }

  /**
   * Waits until the operator has neither reconciled nor written for {@link #QUIET}: the pass
   * that follows the operator's own writes (a new token is reported as issued, then as valid) has
   * run. A settle step before a restart or a count, never an idle check by itself.
   */
  public void awaitSettled() {
    long[] last = {-1, -1};
    await().during(QUIET).atMost(Duration.ofSeconds(30)).until(() -> {
      long reconciles = reconciles();
      long writes = server.writes().size();
      boolean same = reconciles == last[0] && writes == last[1];
      last[0] = reconciles;
      last[1] = writes;
      return same;
    });
  }

  /**
   * An idle check that cannot pass by accident: waits until a reconcile after
   * {@code reconcilesBefore} has finished (anything it wrote is written by then), then asserts the
   * API server sees exactly {@code writes} writes during {@link #QUIET}, follow-ups included.
   */
  public void assertReconciledWithoutWrites(long reconcilesBefore, int writes) {
    awaitReconcileAfter(reconcilesBefore);
    await().during(QUIET).atMost(QUIET.multipliedBy(3)).untilAsserted(() ->
        assertThat(server.writes()).as("writes after an idle reconcile").hasSize(writes));
  }

  public ReloadlyCredential credential(String name) {
    return client.resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName(name).get();
  }

  public Secret secret(String name) {
    return client.secrets().inNamespace(CredentialFixtures.NAMESPACE).withName(name).get();
  }

  public Optional<Condition> condition(String name, String type) {
    ReloadlyCredential credential = credential(name);
    if (credential == null || credential.getStatus() == null) {
      return Optional.empty();
    }
    return Conditions.find(credential.getStatus().getConditions(), type);
  }

  @Override
  public void close() {
    stop();
    replicas.forEach(Replica::close);
    client.close();
    simulator.close();
    server.close();
  }
}
