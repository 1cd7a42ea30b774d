package dev.reloadly.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * ReloadlyCredential documents as Jackson trees: a valid base, changed one dotted path at a time.
 * Every change returns a new document, so the base is never shared between cases.
 */
public final class CredentialDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root;

  private CredentialDocument(ObjectNode root) {
    this.root = root;
  }

  /** A sandbox airtime credential read from a Secret, with every rule-checked field set. */
  public static CredentialDocument valid() {
    ObjectNode root = JSON.createObjectNode();
    root.put("apiVersion", "security.reloadly.dev/v1alpha1");
    root.put("kind", "ReloadlyCredential");
    root.set("metadata", JSON.valueToTree(Map.of("name", "airtime-sandbox")));
    return new CredentialDocument(root)
        .set("spec.environment", "sandbox")
        .set("spec.product", "airtime")
        .set("spec.owner", Map.of("team", "payments", "email", "payments-team@example.com"))
        .set("spec.source.secretRef.name", "reloadly-sandbox-source")
        .set("spec.rotation", Map.of("maxAge", "90d", "renewBefore", "14d", "gracePeriod", "1h"))
        .set("spec.consumers.maxConcurrent", 2)
        .set("spec.token.refreshBefore", "33%")
        .set("spec.egress.allowlistedIPs", List.of("203.0.113.7/32"));
  }

  /** Sealed values as {@code seal} prints them; only their presence matters to the schema. */
  public static Map<String, String> sealedSource() {
    return Map.of("clientId", "rlc1:sealed-client-id", "clientSecret", "rlc1:sealed-client-secret");
  }

  /** Sets {@code path} (dots between field names) to {@code value}, creating parent objects. */
  public CredentialDocument set(String path, Object value) {
    ObjectNode copy = root.deepCopy();
    String[] names = path.split("\\.");
    ObjectNode parent = copy;
    for (int i = 0; i < names.length - 1; i++) {
      JsonNode child = parent.get(names[i]);
      parent = child instanceof ObjectNode object ? object : parent.putObject(names[i]);
    }
    parent.set(names[names.length - 1], JSON.valueToTree(value));
    return new CredentialDocument(copy);
  }

  /** Removes the field at {@code path}; the path must exist, so a typo cannot pass unnoticed. */
  public CredentialDocument remove(String path) {
    ObjectNode copy = root.deepCopy();
    String[] names = path.split("\\.");
    JsonNode parent = copy;
    for (int i = 0; i < names.length - 1; i++) {
      parent = parent.path(names[i]);
    }
    if (!(parent instanceof ObjectNode object) || object.remove(names[names.length - 1]) == null) {
      throw new IllegalArgumentException("no field " + path + " in " + root);
    }
    return new CredentialDocument(copy);
  }

  public ObjectNode tree() {
    return root.deepCopy();
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
