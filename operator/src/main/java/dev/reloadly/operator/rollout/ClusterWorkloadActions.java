package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.selection.LabelSelectors;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts and evictions against the API server. A restart is one JSON merge patch of one field
 * (the pod-template annotation; for an Argo Rollout its {@code spec.restartAt} plus the marker
 * annotation on the Rollout itself), never server-side apply, so nothing else of the workload
 * changes hands. Pods are never cached: the evict strategy lists the workload's pods by its
 * selector while it is rolling, and only then.
 */
public final class ClusterWorkloadActions implements WorkloadActions {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkloadActions.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private final KubernetesClient client;

  public ClusterWorkloadActions(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public long restart(Workload w, String revision, Instant now) {
    String patch = w.kind() == WorkloadKind.Rollout
        ? "{\"metadata\":{\"annotations\":{\"" + ApiLabels.RESTARTED_FOR + "\":\"" + revision
            + "\"}},\"spec\":{\"restartAt\":\"" + now + "\"}}"
        : "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + ApiLabels.RESTARTED_FOR
            + "\":\"" + revision + "\"}}}}}";
    // Patched through an object that names it, so the client sends the patch without reading
    // the workload first.
    GenericKubernetesResource named = new GenericKubernetesResource();
    named.setApiVersion(WorkloadKinds.apiVersion(w.kind()));
    named.setKind(w.kind().name());
    named.setMetadata(new ObjectMetaBuilder().withName(w.name()).withNamespace(w.namespace())
        .build());
    GenericKubernetesResource patched = client
        .genericKubernetesResources(WorkloadKinds.context(w.kind()))
        .inNamespace(w.namespace()).resource(named).patch(MERGE, patch);
    Long generation = patched == null ? null : patched.getMetadata().getGeneration();
    // A server that does not count generations: the one cached plus the patch's change.
    return generation == null ? w.generation() + 1 : generation;
  }

  @Override
  public EvictStep evictNext(Workload w, Instant since) {
    if (LabelSelectors.isEmpty(w.selector())) {
      // A workload that selects no pods (the API server refuses such a Deployment) has none to go.
      return EvictStep.NONE_LEFT;
    }
    List<Pod> pods = client.pods().inNamespace(w.namespace()).withLabelSelector(w.selector())
        .list().getItems();
    if (pods.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null
        || !ready(p))) {
      return EvictStep.WAITING;
    }
    Optional<Pod> oldest = pods.stream()
        .filter(p -> created(p).isBefore(since))
        .min(Comparator.comparing(ClusterWorkloadActions::created));
    if (oldest.isEmpty()) {
      return EvictStep.NONE_LEFT;
    }
    Eviction eviction = new EvictionBuilder().withNewMetadata()
        .withName(oldest.get().getMetadata().getName()).withNamespace(w.namespace())
        .endMetadata().build();
    try {
      boolean done = client.pods().inNamespace(w.namespace())
          .withName(oldest.get().getMetadata().getName()).evict(eviction);
      return done ? EvictStep.EVICTED : EvictStep.BLOCKED;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 429) {
        return EvictStep.BLOCKED;
      }
      if (e.getCode() == 404) {
        return EvictStep.WAITING;
      }
      // Say what failed, but never fail the reconcile for it: the rest (serving, status) must
      // still happen, and the next step retries.
      LOG.warn("evicting pod {}/{} of {} failed: HTTP {}; retrying", w.namespace(),
          oldest.get().getMetadata().getName(), w.key(), e.getCode());
      return EvictStep.BLOCKED;
    }
  }

  /** When the pod started (status.startTime, set by the kubelet), else when it was created. */
  private static Instant created(Pod pod) {
    String at = pod.getStatus() != null && pod.getStatus().getStartTime() != null
        ? pod.getStatus().getStartTime() : pod.getMetadata().getCreationTimestamp();
    return at == null ? Instant.EPOCH : Instant.parse(at);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

}
