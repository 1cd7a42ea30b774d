package dev.reloadly.operator.target;

import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.source.SecretBytes;
import java.util.HashMap;
import java.util.Map;

/** Builds the data map of the target Secret for each mode. */
public final class TargetData {
  private TargetData() {}

  public static Map<String, String> credentials(TargetSecret.Keys keys, CredentialMaterial material) {
    Map<String, String> data = new HashMap<>();
    data.put(keys.clientId(), SecretBytes.encode(material.clientId()));
    data.put(keys.clientSecret(), SecretBytes.encode(material.clientSecret()));
    return data;
  }
}
