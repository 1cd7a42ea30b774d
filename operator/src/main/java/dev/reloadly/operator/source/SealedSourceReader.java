package dev.reloadly.operator.source;

import dev.reloadly.operator.api.v1alpha1.SealedSource;

/** Opens the sealed client ID and secret of spec.source.sealed. */
@FunctionalInterface
public interface SealedSourceReader {
  SourceResult read(String namespace, String credentialName, SealedSource sealed);
}
