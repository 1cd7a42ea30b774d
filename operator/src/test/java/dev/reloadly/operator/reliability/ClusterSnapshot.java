package dev.reloadly.operator.reliability;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.compromise.DenyList;
import dev.reloadly.operator.store.StoredVersions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The objects the write invariants look at, as the API server holds them at one moment: one
 * credential, its target and store Secrets, the operator-wide deny-list, and the credential's
 * consumer Deployments. A missing object is null.
 */
record ClusterSnapshot(ReloadlyCredential credential, Secret target, Secret store, Secret denyList,
    Map<String, GenericKubernetesResource> workloads) {

  /** Which objects: one credential in {@code namespace} and the Deployments it restarts. */
  record Names(String operatorNamespace, String namespace, String credential, String target,
      List<String> deployments) {

    String store() {
      return StoredVersions.secretName(credential);
    }

    String credentialPath() {
      return "/apis/security.reloadly.dev/v1alpha1/namespaces/" + namespace
          + "/reloadlycredentials/" + credential;
    }

    String secretPath(String name) {
      return "/api/v1/namespaces/" + namespace + "/secrets/" + name;
    }

    String denyListPath() {
      return "/api/v1/namespaces/" + operatorNamespace + "/secrets/" + DenyList.SECRET;
    }

    String deploymentPath(String name) {
      return "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + name;
    }
  }

  /** Reads each object through {@code get} (path to JSON, null when absent). */
  static ClusterSnapshot read(Names names, Function<String, String> get) {
    Map<String, GenericKubernetesResource> workloads = new LinkedHashMap<>();
    for (String deployment : names.deployments()) {
      workloads.put(deployment, parse(get.apply(names.deploymentPath(deployment)),
          GenericKubernetesResource.class));
    }
    return new ClusterSnapshot(
        parse(get.apply(names.credentialPath()), ReloadlyCredential.class),
        parse(get.apply(names.secretPath(names.target())), Secret.class),
        parse(get.apply(names.secretPath(names.store())), Secret.class),
        parse(get.apply(names.denyListPath()), Secret.class),
        workloads);
  }

  private static <T> T parse(String json, Class<T> type) {
    return json == null ? null : Serialization.unmarshal(json, type);
  }

  /** The pod-template annotation {@code key} of a Deployment, or null. */
  @SuppressWarnings("unchecked")
  String templateAnnotation(String deployment, String key) {
    GenericKubernetesResource w = workloads.get(deployment);
    if (w == null) {
      return null;
    }
    Object spec = w.getAdditionalProperties().get("spec");
    Object template = spec instanceof Map<?, ?> s ? s.get("template") : null;
    Object metadata = template instanceof Map<?, ?> t ? t.get("metadata") : null;
    Object annotations = metadata instanceof Map<?, ?> m ? m.get("annotations") : null;
    return annotations instanceof Map<?, ?> a ? (String) ((Map<String, Object>) a).get(key) : null;
  }

  static String annotation(Secret secret, String key) {
    return secret == null || secret.getMetadata().getAnnotations() == null ? null
        : secret.getMetadata().getAnnotations().get(key);
  }
}
