package dev.reloadly.operator.testing;

import dev.reloadly.operator.demo.EmbeddedApiServer;
import io.fabric8.mockwebserver.http.Dispatcher;

/** Discovery of argoproj.io/v1alpha1 Rollouts, as a cluster with Argo Rollouts installed. */
public final class ArgoRolloutsDiscovery {
  private ArgoRolloutsDiscovery() {}

  public static EmbeddedApiServer server() {
    return EmbeddedApiServer.start(ArgoRolloutsDiscovery::wrap);
  }

  public static Dispatcher wrap(Dispatcher delegate) {
    return new CrdDiscovery(delegate, "argoproj.io/v1alpha1", "Rollout", "rollouts", true);
  }
}
