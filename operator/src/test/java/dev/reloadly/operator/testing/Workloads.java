package dev.reloadly.operator.testing;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.rollout.Workload;
import dev.reloadly.operator.rollout.WorkloadKinds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Workloads for tests, of any kind, and the part of their controllers the test server does not
 * play: observing a new generation and reporting replicas updated and available.
 */
public final class Workloads {
  private Workloads() {}

  /** How a container reads the Secret. */
  public enum Reading { ENV_TOKEN, ENV_ID, ENV_FROM, VOLUME, PROJECTED, NONE }

  public static GenericKubernetesResource workload(WorkloadKind kind, String namespace, String name,
      String secret, Reading... readings) {
    Map<String, Object> container = new HashMap<>();
    container.put("name", "app");
    container.put("image", "example.com/app:1");
    List<Object> env = new ArrayList<>();
    List<Object> envFrom = new ArrayList<>();
    List<Object> volumes = new ArrayList<>();
    for (Reading r : readings) {
      switch (r) {
        case ENV_TOKEN -> env.add(Map.of("name", "TOKEN", "valueFrom",
            Map.of("secretKeyRef", Map.of("name", secret, "key", "access_token"))));
        case ENV_ID -> env.add(Map.of("name", "BASE", "valueFrom",
            Map.of("secretKeyRef", Map.of("name", secret, "key", "base_url"))));
        case ENV_FROM -> envFrom.add(Map.of("secretRef", Map.of("name", secret)));
        case VOLUME -> volumes.add(Map.of("name", "creds", "secret",
            Map.of("secretName", secret)));
        case PROJECTED -> volumes.add(Map.of("name", "projected", "projected",
            Map.of("sources", List.of(Map.of("secret", Map.of("name", secret))))));
        case NONE -> { }
      }
    }
    container.put("env", env);
    container.put("envFrom", envFrom);
    Map<String, Object> podSpec = new HashMap<>();
    podSpec.put("containers", List.of(container));
    podSpec.put("volumes", volumes);
    Map<String, Object> spec = new HashMap<>();
    spec.put("selector", Map.of("matchLabels", Map.of("app", name)));
    if (kind != WorkloadKind.DaemonSet) {
      spec.put("replicas", 2);
    }
    spec.put("template", Map.of("metadata", Map.of("labels", Map.of("app", name)),
        "spec", podSpec));
    GenericKubernetesResource w = new GenericKubernetesResource();
    w.setApiVersion(WorkloadKinds.apiVersion(kind));
    w.setKind(kind.name());
    w.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .withLabels(Map.of("app", name, "tier", "payments")).withGeneration(1L).build());
    w.setAdditionalProperty("spec", spec);
    return w;
  }

  public static GenericKubernetesResource create(KubernetesClient client, GenericKubernetesResource w) {
    GenericKubernetesResource created = client.resource(w).create();
    healthy(client, created.getKind(), namespace(created), created.getMetadata().getName());
    return created;
  }

  public static GenericKubernetesResource get(KubernetesClient client, WorkloadKind kind,
      String namespace, String name) {
    return client.genericKubernetesResources(WorkloadKinds.context(kind))
        .inNamespace(namespace).withName(name).get();
  }

  /** The revision the operator restarted it for, or null. */
  public static String restartedFor(KubernetesClient client, WorkloadKind kind, String namespace,
      String name) {
    return Workload.from(get(client, kind, namespace, name)).orElseThrow().restartedFor();
  }

  /** Plays the controller: observed the current generation, every replica updated and ready. */
  public static void healthy(KubernetesClient client, String kind, String namespace, String name) {
    status(client, WorkloadKind.valueOf(kind), namespace, name, true);
  }

  /** Plays the controller: observed the current generation, but the new pods are not ready. */
  public static void progressing(KubernetesClient client, WorkloadKind kind, String namespace,
      String name) {
    status(client, kind, namespace, name, false);
  }

  private static void status(KubernetesClient client, WorkloadKind kind, String namespace,
      String name, boolean ready) {
    GenericKubernetesResource w = get(client, kind, namespace, name);
    Long generation = w.getMetadata().getGeneration() == null ? 1L
        : w.getMetadata().getGeneration();
    int n = ready ? 2 : 1;
    String status = switch (kind) {
      case Deployment -> "{\"observedGeneration\":" + generation + ",\"replicas\":2,"
          + "\"updatedReplicas\":" + n + ",\"availableReplicas\":" + n + ",\"readyReplicas\":"
          + n + "}";
      case StatefulSet -> "{\"observedGeneration\":" + generation + ",\"replicas\":2,"
          + "\"updatedReplicas\":" + n + ",\"readyReplicas\":" + n + "}";
      case DaemonSet -> "{\"observedGeneration\":" + generation + ",\"desiredNumberScheduled\":2,"
          + "\"updatedNumberScheduled\":" + n + ",\"numberAvailable\":" + n + "}";
      case Rollout -> "{\"phase\":\"" + (ready ? "Healthy" : "Progressing") + "\""
          + (restartAt(w) == null ? "" : ",\"restartedAt\":\"" + restartAt(w) + "\"") + "}";
    };
    // A PUT, so the operator's restarts are the only PATCHes a workload receives.
    w.setAdditionalProperty("status", client.getKubernetesSerialization()
        .unmarshal(status, Map.class));
    w.getMetadata().setResourceVersion(null);
    client.resource(w).update();
  }

  private static Object restartAt(GenericKubernetesResource w) {
    Object spec = w.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? m.get("restartAt") : null;
  }

  private static String namespace(GenericKubernetesResource w) {
    return w.getMetadata().getNamespace();
  }

}
