package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the API reference (docs/reference/api.md) from a CRD: the printer columns, then one
 * section per object of spec and status with a row per field. Only the CRD is read, so the
 * reference says what the API server enforces; the same CRD gives the same text.
 */
final class ApiReference {
  static final String REGENERATE =
      "./mvnw -B -pl operator test -Dtest=ApiReferenceTest -DupdateDocs=true";

  private final StringBuilder out = new StringBuilder();
  private final Set<String> anchors = new HashSet<>();

  private ApiReference() {}

  /** The reference for the first version of {@code crd}, in Markdown. */
  static String render(JsonNode crd, String sourcePath) {
    return new ApiReference().document(crd, sourcePath);
  }

  private String document(JsonNode crd, String sourcePath) {
    JsonNode names = crd.at("/spec/names");
    JsonNode version = crd.at("/spec/versions/0");
    JsonNode root = version.at("/schema/openAPIV3Schema");
    line("# " + names.path("kind").asText() + " API reference");
    line("");
    line("<!-- Generated from " + sourcePath + " by ApiReferenceTest: do not edit. Regenerate with");
    line("     " + REGENERATE + " -->");
    line("");
    line("Generated from the CRD (`" + sourcePath + "`), so it lists exactly what the API server"
        + " checks. The guide, with examples and the reasons behind the API, is"
        + " [docs/api.md](../api.md).");
    line("");
    line("| | |");
    line("| --- | --- |");
    line("| API version | `" + crd.at("/spec/group").asText() + "/" + version.path("name").asText()
        + "` |");
    line("| kind | `" + names.path("kind").asText() + "` |");
    line("| plural, singular | `" + names.path("plural").asText() + "`, `"
        + names.path("singular").asText() + "` |");
    line("| short names | " + codes(names.path("shortNames")) + " |");
    line("| categories | " + codes(names.path("categories")) + " |");
    line("| scope | " + crd.at("/spec/scope").asText() + " |");
    line("");
    line(text(root.path("description").asText()));
    line("");
    line("A field marked required must be set. Items of a list and values of a map are described"
        + " by their field. Constraints are those of the schema: an item constraint applies to"
        + " each item of a list, and a rule is a CEL validation rule"
        + " (`x-kubernetes-validations`) with the message the API server answers when it"
        + " fails; the rule itself is under the object's section.");
    line("");
    printerColumns(version.path("additionalPrinterColumns"));
    for (String top : List.of("spec", "status")) {
      JsonNode schema = root.path("properties").path(top);
      if (!schema.isMissingNode()) {
        object(top, schema, schema.path("description").asText(), 2);
      }
    }
    return out.toString();
  }

  private void printerColumns(JsonNode columns) {
    line("## Printer columns");
    line("");
    line("What `kubectl get` prints, in this order. Columns shown with `-o wide` only are marked"
        + " wide.");
    line("");
    line("| column | shown | type | JSONPath | description |");
    line("| --- | --- | --- | --- | --- |");
    for (JsonNode column : columns) {
      line("| " + cell(column.path("name").asText()) + " | "
          + (column.path("priority").asInt() == 0 ? "default" : "wide") + " | "
          + column.path("type").asText() + " | " + code(column.path("jsonPath").asText()) + " | "
          + cell(column.path("description").asText()) + " |");
    }
    line("");
  }

  /**
   * A section for the object at {@code path}, then one for each object below it. An object in a
   * list has no description of its own: the list field's is shown.
   */
  private void object(String path, JsonNode schema, String description, int level) {
    line("#".repeat(level) + " " + path);
    line("");
    anchor(path);
    if (!description.isBlank()) {
      line(text(description));
      line("");
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    List<Nested> nested = new ArrayList<>();
    line("| field | type | required | default | constraints | description |");
    line("| --- | --- | --- | --- | --- | --- |");
    for (Map.Entry<String, JsonNode> field : schema.path("properties").properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      String childPath = path + "." + name;
      JsonNode objectSchema = objectBelow(value);
      String objectPath = value.path("type").asText().equals("array") ? childPath + "[]"
          : childPath;
      line("| " + code(name) + " | " + type(value, objectSchema == null ? null : objectPath)
          + " | " + (required.contains(name) ? "yes" : "") + " | " + defaultOf(value) + " | "
          + constraints(value) + " | " + cell(value.path("description").asText()) + " |");
      if (objectSchema != null) {
        nested.add(new Nested(objectPath, objectSchema, value.path("description").asText()));
      }
    }
    line("");
    rules(schema.path("x-kubernetes-validations"));
    for (Nested child : nested) {
      object(child.path(), child.schema(), child.description(), 3);
    }
  }

  private record Nested(String path, JsonNode schema, String description) {}

  /** The schema of an object with fields at this field, or as its items; null for anything else. */
  private static JsonNode objectBelow(JsonNode field) {
    JsonNode candidate = field.path("type").asText().equals("array") ? field.path("items") : field;
    return candidate.path("properties").isObject() && !candidate.path("properties").isEmpty()
        ? candidate : null;
  }

  private void rules(JsonNode rules) {
    if (rules.isEmpty()) {
      return;
    }
    line("Rules (CEL, evaluated on this object as `self`):");
    line("");
    for (JsonNode rule : rules) {
      String where = rule.has("fieldPath") ? " (reported at " + code(rule.path("fieldPath").asText())
          + ")" : "";
      line("- " + text(rule.path("message").asText()) + where);
      line("");
      line("  ```");
      line("  " + rule.path("rule").asText());
      line("  ```");
      line("");
    }
  }

  /** Kubernetes' notation ({@code []string}, {@code map[string]string}), linked to an object's section. */
  private static String type(JsonNode field, String objectPath) {
    String type = plainType(field);
    return objectPath == null ? type : "[" + type + "](#" + anchorOf(objectPath) + ")";
  }

  private static String plainType(JsonNode field) {
    if (field.path("x-kubernetes-int-or-string").asBoolean()) {
      return "int-or-string";
    }
    String type = field.path("type").asText();
    if (type.equals("array")) {
      return "[]" + plainType(field.path("items"));
    }
    if (type.equals("object") && field.path("additionalProperties").isObject()) {
      return "map[string]" + plainType(field.path("additionalProperties"));
    }
    return type;
  }

  private static String defaultOf(JsonNode field) {
    return field.has("default") ? code(scalar(field.get("default"))) : "";
  }

  private static String constraints(JsonNode field) {
    List<String> out = new ArrayList<>(own(field));
    if (field.path("type").asText().equals("array")) {
      own(field.path("items")).forEach(c -> out.add("items: " + c));
    }
    field.path("x-kubernetes-validations").forEach(rule ->
        out.add("rule: " + cell(rule.path("message").asText())));
    return String.join("<br>", out);
  }

  /** The constraints a schema node states about its own value. */
  private static List<String> own(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.has("enum")) {
      List<String> values = new ArrayList<>();
      node.get("enum").forEach(v -> values.add(code(scalar(v))));
      out.add("one of " + String.join(", ", values));
    }
    if (node.has("pattern")) {
      out.add("pattern " + code(node.get("pattern").asText()));
    }
    for (String bound : List.of("minimum", "maximum", "minLength", "maxLength", "minItems",
        "maxItems", "minProperties", "maxProperties")) {
      if (node.has(bound)) {
        out.add(bound + " " + scalar(node.get(bound)));
      }
    }
    return out;
  }

  private static String scalar(JsonNode value) {
    if (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())) {
      return Long.toString(value.asLong());
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static String codes(JsonNode values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(code(v.asText())));
    return String.join(", ", out);
  }

  /** An inline code span that holds any text, pipes escaped for a table cell. */
  private static String code(String text) {
    int longest = 0;
    Matcher ticks = Pattern.compile("`+").matcher(text);
    while (ticks.find()) {
      longest = Math.max(longest, ticks.group().length());
    }
    String fence = "`".repeat(longest + 1);
    String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
    return fence + pad + text.replace("|", "\\|") + pad + fence;
  }

  /** Description text for a table cell: one line, pipes escaped. */
  private static String cell(String text) {
    return text(text).replace("|", "\\|");
  }

  /**
   * Description text as Markdown: one line, and angle brackets outside code spans escaped, since
   * a placeholder such as {@code <credential>} would otherwise be taken for HTML and vanish.
   */
  private static String text(String text) {
    String[] parts = text.replace("\n", " ").split("`", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append('`');
      }
      sb.append(i % 2 == 0 ? parts[i].replace("<", "&lt;").replace(">", "&gt;") : parts[i]);
    }
    return sb.toString();
  }

  /** GitHub's anchor for a heading: lower case, punctuation other than - and _ dropped. */
  static String anchorOf(String heading) {
    return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
        .replace(' ', '-');
  }

  private void anchor(String heading) {
    if (!anchors.add(anchorOf(heading))) {
      throw new IllegalStateException("two sections share the anchor of " + heading);
    }
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
