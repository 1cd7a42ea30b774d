package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.target.OwnedSecretWriter;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;

/** The target Secret of one credential as serving sees it: read it, write it, tidy old names. */
interface TargetSecrets {
  String targetName();

  String storeName();

  /** The target as last written or watched. */
  Optional<Secret> target();

  /** Makes the target hold {@code data}; an annotation mapped to null is removed. */
  OwnedSecretWriter.Outcome writeTarget(Map<String, String> annotations, Map<String, String> data);

  /** Deletes targets written under an earlier spec.target.secretName. */
  void deleteStaleTargets();
}
