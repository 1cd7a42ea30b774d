package dev.reloadly.operator.reconciler;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Lets through an update of a credential when its spec changed (generation) or when a person
 * signalled something through an annotation (compromised, refresh-token, retire-previous). Status-only updates,
 * including the operator's own, are filtered out so they cause no reconcile.
 */
final class SpecOrSignalChanged implements OnUpdateFilter<ReloadlyCredential> {
  @Override
  public boolean accept(ReloadlyCredential next, ReloadlyCredential previous) {
    return !Objects.equals(next.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
        || !Objects.equals(signal(next, ApiLabels.COMPROMISED), signal(previous, ApiLabels.COMPROMISED))
        || !Objects.equals(signal(next, ApiLabels.REFRESH_TOKEN), signal(previous, ApiLabels.REFRESH_TOKEN))
        || !Objects.equals(signal(next, ApiLabels.RETIRE_PREVIOUS),
            signal(previous, ApiLabels.RETIRE_PREVIOUS))
        || next.isMarkedForDeletion() != previous.isMarkedForDeletion();
  }

  private static String signal(ReloadlyCredential credential, String key) {
    Map<String, String> annotations = credential.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
