package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One informer per consumer workload kind, in the namespaces the controller watches, each holding
 * its workloads trimmed ({@link TrimmedWorkloadStore}): a cluster with thousands of Deployments
 * costs the operator their Secret references and rollout status, not their pod templates.
 * Argo Rollouts are watched only when the operator is told the CRD is installed.
 */
public final class WorkloadInformers<P extends HasMetadata> {
  /** Pages of the initial list, so no list response is huge. */
  static final long LIST_PAGE = 500;
  private final List<InformerEventSource<GenericKubernetesResource, P>> sources;

  private WorkloadInformers(List<InformerEventSource<GenericKubernetesResource, P>> sources) {
    this.sources = sources;
  }

  public static <P extends HasMetadata> WorkloadInformers<P> create(Class<P> primaryType,
      boolean argoRollouts, SecondaryToPrimaryMapper<GenericKubernetesResource> mapper,
      EventSourceContext<P> context) {
    List<InformerEventSource<GenericKubernetesResource, P>> sources = new ArrayList<>();
    for (WorkloadKind kind : WorkloadKind.values()) {
      if (kind == WorkloadKind.Rollout && !argoRollouts) {
        continue;
      }
      sources.add(new InformerEventSource<>(
          InformerEventSourceConfiguration.from(WorkloadKinds.gvk(kind), primaryType)
              .withName("workloads-" + kind.name().toLowerCase(java.util.Locale.ROOT))
              .withItemStore(new TrimmedWorkloadStore())
              .withInformerListLimit(LIST_PAGE)
              .withSecondaryToPrimaryMapper(mapper)
              .build(),
          context));
    }
    return new WorkloadInformers<>(sources);
  }

  public List<InformerEventSource<GenericKubernetesResource, P>> sources() {
    return sources;
  }

  /** Every cached workload of {@code namespace}. */
  public List<Workload> in(String namespace) {
    List<Workload> out = new ArrayList<>();
    for (InformerEventSource<GenericKubernetesResource, P> source : sources) {
      source.list(namespace).map(Workload::from).flatMap(Optional::stream).forEach(out::add);
    }
    return out;
  }
}
