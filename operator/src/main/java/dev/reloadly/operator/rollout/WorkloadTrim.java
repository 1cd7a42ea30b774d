package dev.reloadly.operator.rollout;

import static dev.reloadly.operator.rollout.Workload.list;
import static dev.reloadly.operator.rollout.Workload.map;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts a workload down to what discovery, restarts and health checks read: identity, labels,
 * generation, selector, the pod template's Secret references and restart annotation, and the
 * rollout status fields. Container images, commands, resources, probes, managedFields and every
 * other annotation are dropped before the object reaches the cache.
 */
public final class WorkloadTrim {
  private static final Set<String> STATUS_FIELDS = Set.of("observedGeneration", "replicas",
      "updatedReplicas", "readyReplicas", "availableReplicas", "desiredNumberScheduled",
      "updatedNumberScheduled", "numberAvailable", "currentRevision", "updateRevision", "phase",
      "restartedAt");

  private WorkloadTrim() {}

  public static GenericKubernetesResource trim(GenericKubernetesResource full) {
    GenericKubernetesResource out = new GenericKubernetesResource();
    out.setApiVersion(full.getApiVersion());
    out.setKind(full.getKind());
    ObjectMeta meta = full.getMetadata();
    out.setMetadata(new ObjectMetaBuilder().withName(meta.getName())
        .withNamespace(meta.getNamespace()).withUid(meta.getUid())
        .withResourceVersion(meta.getResourceVersion()).withGeneration(meta.getGeneration())
        .withLabels(meta.getLabels())
        .withAnnotations(meta.getAnnotations() == null
            || !meta.getAnnotations().containsKey(ApiLabels.RESTARTED_FOR) ? null
            : Map.of(ApiLabels.RESTARTED_FOR, meta.getAnnotations().get(ApiLabels.RESTARTED_FOR)))
        .build());
    Map<String, Object> spec = map(full.getAdditionalProperties().get("spec"));
    Map<String, Object> trimmedSpec = new LinkedHashMap<>();
    copy(spec, trimmedSpec, "replicas");
    copy(spec, trimmedSpec, "restartAt");
    Map<String, Object> selector = map(spec.get("selector"));
    Map<String, Object> trimmedSelector = new LinkedHashMap<>();
    copy(selector, trimmedSelector, "matchLabels");
    copy(selector, trimmedSelector, "matchExpressions");
    if (!trimmedSelector.isEmpty()) {
      trimmedSpec.put("selector", trimmedSelector);
    }
    Map<String, Object> template = map(spec.get("template"));
    Map<String, Object> trimmedTemplate = new LinkedHashMap<>();
    Object restarted = map(map(template.get("metadata")).get("annotations"))
        .get(ApiLabels.RESTARTED_FOR);
    if (restarted != null) {
      trimmedTemplate.put("metadata",
          Map.of("annotations", Map.of(ApiLabels.RESTARTED_FOR, restarted)));
    }
    trimmedTemplate.put("spec", podSpec(map(template.get("spec"))));
    trimmedSpec.put("template", trimmedTemplate);
    out.setAdditionalProperty("spec", trimmedSpec);
    Map<String, Object> status = map(full.getAdditionalProperties().get("status"));
    Map<String, Object> trimmedStatus = new LinkedHashMap<>();
    STATUS_FIELDS.forEach(f -> copy(status, trimmedStatus, f));
    List<Object> conditions = new ArrayList<>();
    for (Object c : list(status.get("conditions"))) {
      Map<String, Object> condition = new LinkedHashMap<>();
      copy(map(c), condition, "type");
      copy(map(c), condition, "status");
      copy(map(c), condition, "reason");
      conditions.add(condition);
    }
    if (!conditions.isEmpty()) {
      trimmedStatus.put("conditions", conditions);
    }
    out.setAdditionalProperty("status", trimmedStatus);
    return out;
  }

  private static Map<String, Object> podSpec(Map<String, Object> spec) {
    Map<String, Object> out = new LinkedHashMap<>();
    copy(spec, out, "serviceAccountName");
    for (String field : List.of("containers", "initContainers")) {
      List<Object> containers = new ArrayList<>();
      for (Object c : list(spec.get(field))) {
        Map<String, Object> container = map(c);
        List<Object> env = new ArrayList<>();
        for (Object e : list(container.get("env"))) {
          Object ref = map(map(e).get("valueFrom")).get("secretKeyRef");
          if (ref != null) {
            env.add(Map.of("valueFrom", Map.of("secretKeyRef", ref)));
          }
        }
        List<Object> envFrom = new ArrayList<>();
        for (Object e : list(container.get("envFrom"))) {
          Object ref = map(e).get("secretRef");
          if (ref != null) {
            envFrom.add(Map.of("secretRef", ref));
          }
        }
        if (!env.isEmpty() || !envFrom.isEmpty()) {
          containers.add(Map.of("env", env, "envFrom", envFrom));
        }
      }
      if (!containers.isEmpty()) {
        out.put(field, containers);
      }
    }
    List<Object> volumes = new ArrayList<>();
    for (Object v : list(spec.get("volumes"))) {
      Map<String, Object> volume = map(v);
      if (volume.get("secret") != null) {
        volumes.add(Map.of("secret", volume.get("secret")));
      }
      List<Object> sources = new ArrayList<>();
      for (Object s : list(map(volume.get("projected")).get("sources"))) {
        if (map(s).get("secret") != null) {
          sources.add(Map.of("secret", map(s).get("secret")));
        }
      }
      if (!sources.isEmpty()) {
        volumes.add(Map.of("projected", Map.of("sources", sources)));
      }
    }
    if (!volumes.isEmpty()) {
      out.put("volumes", volumes);
    }
    return out;
  }

  private static void copy(Map<String, Object> from, Map<String, Object> to, String field) {
    if (from.get(field) != null) {
      to.put(field, from.get(field));
    }
  }
}
