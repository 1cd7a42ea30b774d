package dev.reloadly.operator.cli;

import dev.reloadly.operator.cli.SealCommand.Failure;
import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The operator's published sealing public keys (ConfigMap {@value OperatorKeyStore#CONFIG_MAP}),
 * as {@code seal --fetch} and {@code fetch-cert} read them: the document is checked before anyone
 * seals to it or saves it.
 */
record PublicKeys(String document, SealingKeyRing ring, String where) {

  static PublicKeys fetch(KubernetesClient client, String operatorNamespace) {
    String where = "ConfigMap " + operatorNamespace + "/" + OperatorKeyStore.CONFIG_MAP;
    ConfigMap configMap;
    try {
      configMap = client.configMaps().inNamespace(operatorNamespace)
          .withName(OperatorKeyStore.CONFIG_MAP).get();
    } catch (KubernetesClientException e) {
      throw new Failure("cannot read " + where + ": " + e.getMessage());
    }
    if (configMap == null) {
      throw new Failure(where + " not found; is the operator installed in namespace "
          + operatorNamespace + "? (--operator-namespace)");
    }
    String document = configMap.getData() == null ? null
        : configMap.getData().get(OperatorKeyStore.PUBLIC_KEYS);
    if (document == null) {
      throw new Failure(where + " has no key " + OperatorKeyStore.PUBLIC_KEYS);
    }
    try {
      return new PublicKeys(document, SealingKeyRing.parsePublicDocument(document), where);
    } catch (KeyRingFormatException e) {
      throw new Failure(where + " does not hold a valid public-key document: " + e.getMessage());
    }
  }
}
