package dev.reloadly.operator.egress;

import dev.reloadly.operator.apiserver.Writes;
import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator's egress NetworkPolicies on the API server, read from a label-selected informer
 * and written with create, one JSON patch replacing the spec, or delete. Each write is fed back
 * into the informer's cache, so the next reconcile reads it and does not write again.
 */
public final class ClusterEgressPolicies<P extends HasMetadata> implements EgressPolicyStore {
  private final KubernetesClient client;
  private final Supplier<InformerEventSource<NetworkPolicy, P>> informer;

  public ClusterEgressPolicies(KubernetesClient client,
      Supplier<InformerEventSource<NetworkPolicy, P>> informer) {
    this.client = client;
    this.informer = informer;
  }

  @Override
  public List<NetworkPolicy> existing(String namespace, String name, String uid) {
    return informer.get().list(namespace, p -> {
      Map<String, String> labels = p.getMetadata().getLabels();
      return labels != null && name.equals(labels.get(ApiLabels.CREDENTIAL))
          && p.getMetadata().getOwnerReferences() != null
          && p.getMetadata().getOwnerReferences().stream()
              .anyMatch(o -> uid != null && uid.equals(o.getUid()));
    }).toList();
  }

  @Override
  public boolean create(NetworkPolicy desired) {
    return Writes.createUnlessTaken(desired, policy -> {
      NetworkPolicy created = client.resource(policy).create();
      informer.get().handleRecentResourceCreate(ResourceID.fromResource(created), created);
    });
  }

  @Override
  public void update(NetworkPolicy existing, NetworkPolicy desired) {
    String patch = Writes.replaceSpec(client, desired.getSpec());
    NetworkPolicy patched = client.network().v1().networkPolicies()
        .inNamespace(existing.getMetadata().getNamespace()).resource(existing)
        .patch(PatchContext.of(PatchType.JSON), patch);
    informer.get().handleRecentResourceUpdate(ResourceID.fromResource(patched), patched,
        existing);
  }

  @Override
  public void delete(NetworkPolicy existing) {
    client.resource(existing).delete();
  }
}
