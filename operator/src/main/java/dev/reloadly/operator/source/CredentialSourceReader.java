package dev.reloadly.operator.source;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.CredentialSource;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;

/** Reads a credential's client ID and secret from whichever source its spec names. */
public final class CredentialSourceReader {
  private final SealedSourceReader sealed;

  public CredentialSourceReader(SealedSourceReader sealed) {
    this.sealed = sealed;
  }

  public SourceResult read(ReloadlyCredential credential, SecretLookup secrets) {
    CredentialSource source = credential.getSpec().getSource();
    String namespace = credential.getMetadata().getNamespace();
    if (source.getSecretRef() != null) {
      return new SecretRefReader(secrets).read(namespace, source.getSecretRef());
    }
    if (source.getSealed() != null) {
      return sealed.read(namespace, credential.getMetadata().getName(), source.getSealed());
    }
    return new SourceResult.Failed(Conditions.INVALID_SPEC,
        "spec.source must set exactly one of sealed and secretRef", false);
  }
}
