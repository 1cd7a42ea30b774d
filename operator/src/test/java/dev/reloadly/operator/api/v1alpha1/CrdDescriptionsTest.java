package dev.reloadly.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `kubectl explain rlc --recursive` reads like documentation: the resource and every property at
 * every depth carry a description. The items of an array and the values of a map are not
 * properties: kubectl explain and the API reference show their field's description for them.
 */
class CrdDescriptionsTest {
  @Test
  void everyPropertyOfTheCommittedCrdHasADescription() throws IOException {
    JsonNode root = new YAMLMapper()
        .readTree(CrdUpToDateTest.CRDS.resolve(CrdUpToDateTest.FILE).toFile())
        .at("/spec/versions/0/schema/openAPIV3Schema");
    List<String> undescribed = new ArrayList<>();
    if (root.path("description").asText().isBlank()) {
      undescribed.add("(the resource)");
    }
    walk(root, "", undescribed);

    assertThat(undescribed).as("properties without a description: describe them in the Java"
        + " class, or for an embedded Kubernetes type in EmbeddedTypeDescriptions, then"
        + " regenerate (CrdUpToDateTest)").isEmpty();
  }

  @Test
  void theTableNamesOnlyRealFieldsOfItsTypes() {
    EmbeddedTypeDescriptions.TABLE.forEach((type, fields) ->
        assertThat(EmbeddedTypeDescriptions.propertyNames(type)).as(type.getSimpleName())
            .containsAll(fields.keySet()));
  }

  private static void walk(JsonNode schema, String path, List<String> undescribed) {
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String at = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
      if (property.getValue().path("description").asText().isBlank()) {
        undescribed.add(at);
      }
      walk(property.getValue(), at, undescribed);
    }
    if (schema.has("items")) {
      walk(schema.get("items"), path + "[]", undescribed);
    }
    if (schema.path("additionalProperties").isObject()) {
      walk(schema.get("additionalProperties"), path + "{}", undescribed);
    }
  }
}
