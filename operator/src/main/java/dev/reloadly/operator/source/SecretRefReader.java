package dev.reloadly.operator.source;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.SecretRefSource;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Reads the client ID and secret from the Secret named by spec.source.secretRef. */
public final class SecretRefReader {
  private final SecretLookup secrets;

  public SecretRefReader(SecretLookup secrets) {
    this.secrets = secrets;
  }

  public SourceResult read(String namespace, SecretRefSource ref) {
    Optional<Secret> found = secrets.find(namespace, ref.getName());
    if (found.isEmpty()) {
      return new SourceResult.Failed(Conditions.SECRET_NOT_FOUND,
          "Secret " + namespace + "/" + ref.getName() + " named by spec.source.secretRef does not exist",
          true);
    }
    Map<String, String> data = found.get().getData() == null ? Map.of() : found.get().getData();
    char[] clientId = value(data, ref.clientIdKeyOrDefault());
    char[] clientSecret = value(data, ref.clientSecretKeyOrDefault());
    SourceResult.Failed problem = check(ref, data, clientId, "clientIdKey", ref.clientIdKeyOrDefault());
    if (problem == null) {
      problem = check(ref, data, clientSecret, "clientSecretKey", ref.clientSecretKeyOrDefault());
    }
    if (problem != null) {
      wipe(clientId);
      wipe(clientSecret);
      return problem;
    }
    return new SourceResult.Read(new CredentialMaterial(clientId, clientSecret), null,
        SourceOrigin.of(found.get().getMetadata()));
  }

  private static char[] value(Map<String, String> data, String key) {
    String encoded = data.get(key);
    return encoded == null ? null : SecretBytes.decodeToChars(encoded);
  }

  private static SourceResult.Failed check(SecretRefSource ref, Map<String, String> data,
      char[] value, String field, String key) {
    String where = "Secret " + ref.getName();
    if (!data.containsKey(key)) {
      return new SourceResult.Failed(Conditions.KEY_NOT_FOUND,
          where + " has no key " + key + " (spec.source.secretRef." + field + ")", true);
    }
    if (value == null) {
      return new SourceResult.Failed(Conditions.EMPTY_VALUE,
          where + " key " + key + " is not valid base64 UTF-8", true);
    }
    if (isBlank(value)) {
      return new SourceResult.Failed(Conditions.EMPTY_VALUE, where + " key " + key + " is empty", true);
    }
    return null;
  }

  private static boolean isBlank(char[] value) {
    for (char c : value) {
      if (!Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  private static void wipe(char[] value) {
    if (value != null) {
      Arrays.fill(value, '\0');
    }
  }
}
