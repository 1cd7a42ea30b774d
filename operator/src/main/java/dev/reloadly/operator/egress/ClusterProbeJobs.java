package dev.reloadly.operator.egress;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Probe Jobs on the API server: read from a label-selected informer (a finished Job reconciles
 * its credential), created once; their pod's termination message read by the Job's label.
 */
public final class ClusterProbeJobs<P extends HasMetadata> implements ProbeJobStore {
  private final KubernetesClient client;
  private final Supplier<InformerEventSource<Job, P>> informer;

  public ClusterProbeJobs(KubernetesClient client, Supplier<InformerEventSource<Job, P>> informer) {
    this.client = client;
    this.informer = informer;
  }

  @Override
  public Optional<Job> get(String namespace, String name) {
    return informer.get().get(new ResourceID(name, namespace));
  }

  @Override
  public void create(Job job) {
    Job created = client.resource(job).create();
    informer.get().handleRecentResourceCreate(ResourceID.fromResource(created), created);
  }

  @Override
  public Optional<String> result(String namespace, String job) {
    return client.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems()
        .stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getTerminated() != null)
        .map(s -> s.getTerminated().getMessage())
        .filter(Objects::nonNull)
        .findFirst();
  }
}
