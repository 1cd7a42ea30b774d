package dev.reloadly.operator.testing;

import dev.reloadly.operator.OperatorRuntime;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.simulator.ReloadlySimulator;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An embedded API server with the CRD installed, a local Reloadly simulator, and the real operator
 * runtime running against both.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final String OPERATOR_NAMESPACE = "reloadly-system";

  private final EmbeddedApiServer server;
  private final KubernetesClient client;
  private final ReloadlySimulator simulator;
  private final Clock clock;
  private UnaryOperator<ReloadlyTokenClient> tokenClientWrapper = UnaryOperator.identity();
  private OperatorRuntime runtime;
  private KubernetesClient operatorClient;

  public OperatorHarness(Clock clock) {
    this.clock = clock;
    this.server = EmbeddedApiServer.start();
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
    operatorClient = server.newClient();
    runtime = OperatorRuntime.start(operatorClient, config, clock,
        tokenClientWrapper.apply(new HttpReloadlyTokenClient(simulator.url(), clock)));
    return this;
  }

  public OperatorConfig config() {
    return OperatorConfig.defaults(OPERATOR_NAMESPACE).withMetricsPort(0)
        .withAuthUrl(simulator.url());
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
    client.close();
    simulator.close();
    server.close();
  }
}
