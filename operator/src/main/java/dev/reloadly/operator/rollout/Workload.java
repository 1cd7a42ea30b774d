package dev.reloadly.operator.rollout;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consumer workload as the rollout sees it: read from a (trimmed) cached object of any of the
 * four kinds. Fields the API server left out read as absent, never as a failure.
 */
public record Workload(WorkloadKind kind, String namespace, String name, Map<String, String> labels,
    Map<String, String> matchLabels, LabelSelector selector, long generation, String restartedFor, Object replicas,
    Instant restartAt, Map<String, Object> podSpec, Map<String, Object> status) {

  public static Optional<Workload> from(GenericKubernetesResource resource) {
    WorkloadKind kind;
    try {
      kind = WorkloadKind.valueOf(resource.getKind());
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
    Map<String, Object> spec = map(resource.getAdditionalProperties().get("spec"));
    Map<String, Object> template = map(spec.get("template"));
    Map<String, Object> templateMeta = map(template.get("metadata"));
    // An Argo Rollout is restarted through spec.restartAt; the marker sits on the Rollout itself.
    Object restarted = kind == WorkloadKind.Rollout
        ? Optional.ofNullable(resource.getMetadata().getAnnotations()).orElse(Map.of())
            .get(ApiLabels.RESTARTED_FOR)
        : map(templateMeta.get("annotations")).get(ApiLabels.RESTARTED_FOR);
    Long generation = resource.getMetadata().getGeneration();
    return Optional.of(new Workload(kind, resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        resource.getMetadata().getLabels() == null ? Map.of() : resource.getMetadata().getLabels(),
        strings(map(spec.get("selector")).get("matchLabels")), selector(spec.get("selector")),
        generation == null ? 0 : generation, restarted instanceof String s ? s : null,
        spec.get("replicas"), instant(spec.get("restartAt")), map(template.get("spec")), map(resource.getAdditionalProperties().get("status"))));
  }

  /** How the pod template reads Secret {@code secret}; {@code tokenKey} is the token's data key. */
  public Reads reads(String secret, String tokenKey) {
    Reads reads = Reads.NONE;
    for (String field : List.of("containers", "initContainers")) {
      for (Object c : list(podSpec.get(field))) {
        Map<String, Object> container = map(c);
        for (Object e : list(container.get("env"))) {
          Map<String, Object> ref = map(map(map(e).get("valueFrom")).get("secretKeyRef"));
          if (secret.equals(ref.get("name"))) {
            reads = reads.plus(new Reads(true, false, tokenKey.equals(ref.get("key"))));
          }
        }
        for (Object e : list(container.get("envFrom"))) {
          if (secret.equals(map(map(e).get("secretRef")).get("name"))) {
            reads = reads.plus(new Reads(true, false, true));
          }
        }
      }
    }
    for (Object v : list(podSpec.get("volumes"))) {
      Map<String, Object> volume = map(v);
      if (secret.equals(map(volume.get("secret")).get("secretName"))) {
        reads = reads.plus(new Reads(false, true, false));
      }
      for (Object s : list(map(volume.get("projected")).get("sources"))) {
        if (secret.equals(map(map(s).get("secret")).get("name"))) {
          reads = reads.plus(new Reads(false, true, false));
        }
      }
    }
    return reads;
  }

  /** The service account its pods run as ("default" when the template names none). */
  public String serviceAccount() {
    Object name = podSpec.get("serviceAccountName");
    return name instanceof String s && !s.isBlank() ? s : "default";
  }

  public String key() {
    return kind + "/" + name;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static List<?> list(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }

  /** The pod selector, matchLabels and matchExpressions; null when the workload has none. */
  private static LabelSelector selector(Object value) {
    Map<String, Object> selector = map(value);
    if (selector.isEmpty()) {
      return null;
    }
    return SERIALIZATION.convertValue(selector, LabelSelector.class);
  }

  private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization SERIALIZATION =
      new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

  private static Instant instant(Object value) {
    try {
      return value instanceof String s ? Instant.parse(s) : null;
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static long number(Object value, long fallback) {
    return value instanceof Number n ? n.longValue() : fallback;
  }

  private static Map<String, String> strings(Object value) {
    Map<String, String> out = new HashMap<>();
    map(value).forEach((k, v) -> {
      if (v instanceof String s) {
        out.put(k, s);
      }
    });
    return out;
  }
}
