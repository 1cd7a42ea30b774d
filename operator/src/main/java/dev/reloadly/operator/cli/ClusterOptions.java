package dev.reloadly.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The flags kubectl users expect on every command that talks to a cluster: which kubeconfig and
 * which of its contexts. kubectl passes a plugin every flag after the plugin's name, so the plugin
 * has to read them itself; without them the client loads the configuration as kubectl does
 * ({@code KUBECONFIG}, then {@code ~/.kube/config}, then the in-cluster service account).
 */
public final class ClusterOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "The kubeconfig context to use (default: its current context).")
  String context;

  /** A client for the chosen cluster, after it answered; see {@link ClusterConnection}. */
  public KubernetesClient open() {
    return ClusterConnection.open(kubeconfig, context);
  }

  /**
   * The namespace kubectl would use without {@code -n}: the context's, else {@code default}.
   * Reads the kubeconfig only, so it works offline.
   */
  public String defaultNamespace() {
    return ClusterConnection.contextNamespace(kubeconfig, context);
  }

  /** {@code injected} when a test gave one, else clients for these options. */
  Supplier<KubernetesClient> or(Supplier<KubernetesClient> injected) {
    return injected != null ? injected : this::open;
  }
}
