package dev.reloadly.operator.source;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a source Secret came from, as far as its metadata tells (guideline B2: secrets are not
 * kept in version control).
 *
 * @param syncedFromGit it carries Argo CD's tracking annotation or the instance label Argo CD and
 *     Helm set
 * @param ownerKinds the kinds of its owners (SealedSecret, ExternalSecret, a Vault operator's)
 */
public record SourceOrigin(boolean syncedFromGit, List<String> ownerKinds) {
  static final String ARGO_TRACKING = "argocd.argoproj.io/tracking-id";
  static final String INSTANCE = "app.kubernetes.io/instance";

  public static SourceOrigin of(ObjectMeta meta) {
    Map<String, String> annotations = Optional.ofNullable(meta.getAnnotations()).orElse(Map.of());
    Map<String, String> labels = Optional.ofNullable(meta.getLabels()).orElse(Map.of());
    List<String> owners = Optional.ofNullable(meta.getOwnerReferences()).orElse(List.of())
        .stream().map(OwnerReference::getKind).toList();
    return new SourceOrigin(annotations.containsKey(ARGO_TRACKING)
        || labels.containsKey(INSTANCE), owners);
  }
}
