package dev.reloadly.operator.keys;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/** The credentials' store Secrets as key maintenance reads and rewrites them. */
public interface StoreSecrets {

  /**
   * Every store Secret the operator may read.
   *
   * @return the Secrets, and the namespaces whose Secrets could not be listed (403): stores there
   *     are unknown, so no KEK may be retired
   */
  Listing list();

  /** Writes a store Secret back, carrying the resourceVersion it was read at. */
  void update(Secret secret);

  /** One listing: what could be read, and where reading was forbidden. */
  record Listing(List<Secret> secrets, List<String> forbiddenNamespaces) {
    public Listing {
      secrets = List.copyOf(secrets);
      forbiddenNamespaces = List.copyOf(forbiddenNamespaces);
    }
  }
}
