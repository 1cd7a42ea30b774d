package dev.reloadly.operator.source;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Finds a Secret by namespace and name, from a cache or the API server. */
@FunctionalInterface
public interface SecretLookup {
  Optional<Secret> find(String namespace, String name);
}
