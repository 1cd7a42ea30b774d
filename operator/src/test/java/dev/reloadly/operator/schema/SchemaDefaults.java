package dev.reloadly.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Structural-schema defaulting as the API server does it before validation: a property with a
 * {@code default} is filled in only where its parent object is present, and defaulted values are
 * walked again so nested defaults apply too.
 */
final class SchemaDefaults {
  private SchemaDefaults() {}

  /** A defaulted deep copy of {@code document}; the input is left untouched. */
  static JsonNode apply(JsonNode schema, JsonNode document) {
    JsonNode copy = document.deepCopy();
    fill(schema, copy);
    return copy;
  }

  private static void fill(JsonNode schema, JsonNode value) {
    if (value.isArray() && schema.has("items")) {
      value.forEach(item -> fill(schema.get("items"), item));
      return;
    }
    if (!value.isObject()) {
      return;
    }
    ObjectNode object = (ObjectNode) value;
    JsonNode properties = schema.path("properties");
    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      String name = property.getKey();
      JsonNode propertySchema = property.getValue();
      JsonNode current = object.get(name);
      // The API server drops nulls of non-nullable fields before defaulting, so a null is
      // replaced by the default or removed.
      if (current != null && current.isNull() && !propertySchema.path("nullable").asBoolean()) {
        object.remove(name);
        current = null;
      }
      if (current == null && propertySchema.has("default")) {
        object.set(name, propertySchema.get("default").deepCopy());
      }
    }
    JsonNode additional = schema.get("additionalProperties");
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (properties.has(name)) {
        fill(properties.get(name), object.get(name));
      } else if (additional != null && additional.isObject()) {
        fill(additional, object.get(name));
      }
    }
  }
}
