package dev.reloadly.operator.testing;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.events.EventRecorder;
import dev.reloadly.operator.reconciler.OperatorFactory;
import dev.reloadly.operator.reconciler.ReloadlyCredentialReconciler;
import dev.reloadly.operator.source.CredentialSourceReader;
import dev.reloadly.operator.source.SealedSourceReader;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;

/** An embedded API server with the CRD installed and the operator running against it. */
public final class OperatorHarness implements AutoCloseable {
  private final EmbeddedApiServer server;
  private final KubernetesClient client;
  private final SealedSourceReader sealed;
  private final Clock clock;
  private Operator operator;

  public OperatorHarness(SealedSourceReader sealed, Clock clock) {
    this.server = EmbeddedApiServer.start();
    this.client = server.newClient();
    this.sealed = sealed;
    this.clock = clock;
    server.installCrd(client);
  }

  public OperatorHarness start() {
    KubernetesClient operatorClient = server.newClient();
    ReloadlyCredentialReconciler reconciler = new ReloadlyCredentialReconciler(
        new CredentialSourceReader(sealed), new EventRecorder(operatorClient, clock), clock);
    operator = OperatorFactory.create(operatorClient,
        OperatorConfig.defaults("reloadly-system").withMetricsPort(0), reconciler);
    operator.start();
    return this;
  }

  /** Stops the operator, as a crash or a rollout of the operator would. */
  public void stop() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public EmbeddedApiServer server() {
    return server;
  }

  public ReloadlyCredential credential(String name) {
    return client.resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName(name).get();
  }

  public Secret secret(String name) {
    return client.secrets().inNamespace(CredentialFixtures.NAMESPACE).withName(name).get();
  }

  @Override
  public void close() {
    stop();
    client.close();
    server.close();
  }
}
