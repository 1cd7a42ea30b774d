package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;

/** Where each kind of consumer workload lives in the Kubernetes API. */
public final class WorkloadKinds {
  private WorkloadKinds() {}

  public static GroupVersionKind gvk(WorkloadKind kind) {
    return switch (kind) {
      case Deployment -> new GroupVersionKind("apps", "v1", "Deployment");
      case StatefulSet -> new GroupVersionKind("apps", "v1", "StatefulSet");
      case DaemonSet -> new GroupVersionKind("apps", "v1", "DaemonSet");
      case Rollout -> new GroupVersionKind("argoproj.io", "v1alpha1", "Rollout");
    };
  }

  /** How the client reaches the kind without asking the API server's discovery. */
  public static ResourceDefinitionContext context(WorkloadKind kind) {
    GroupVersionKind gvk = gvk(kind);
    return new ResourceDefinitionContext.Builder().withGroup(gvk.getGroup())
        .withVersion(gvk.getVersion()).withKind(gvk.getKind())
        .withPlural(kind.name().toLowerCase(java.util.Locale.ROOT) + "s").withNamespaced(true)
        .build();
  }

  public static String apiVersion(WorkloadKind kind) {
    GroupVersionKind gvk = gvk(kind);
    return gvk.getGroup() + "/" + gvk.getVersion();
  }
}
