package dev.reloadly.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.DisallowUnknownKeywordFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The committed ReloadlyCredential CRD's openAPIV3Schema, applied to a document in the API
 * server's order: defaults, then OpenAPI validation, then the {@code x-kubernetes-validations}
 * CEL rules.
 */
public final class CrdSchema {
  static final String CRD_FILE = "crds/reloadlycredentials.security.reloadly.dev-v1.yml";

  /**
   * Kubernetes' own message when CEL is skipped. It skips the rules after a type, required, enum,
   * maxLength or maxItems failure, because the rules could not rely on the shape of the object.
   */
  static final String RULES_NOT_CHECKED = "[rule] $: some validation rules were not checked"
      + " because the object was invalid; correct the existing errors to complete validation";

  private static final Set<String> BLOCKING_KEYWORDS =
      Set.of("type", "required", "enum", "maxLength", "maxItems", "maxProperties");

  // Kubernetes extensions the generator may emit. Any other unknown keyword makes loading fail,
  // so a schema feature this harness does not model is noticed rather than silently skipped.
  private static final List<String> KUBERNETES_KEYWORDS = List.of("x-kubernetes-validations",
      "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
      "x-kubernetes-embedded-resource", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
      "x-kubernetes-map-type", "nullable");

  private static final String META_SCHEMA = "https://reloadly.dev/schema/kubernetes-structural";

  /** Top-level fields every object has but no CRD schema lists. */
  private static final Set<String> OBJECT_ENVELOPE = Set.of("apiVersion", "kind", "metadata");

  private final String apiVersion;
  private final JsonNode openApiSchema;
  private final JsonSchema structural;
  private final CelRules rules;

  /** {@code openApiSchema} is a version's {@code schema.openAPIV3Schema}. */
  CrdSchema(String apiVersion, JsonNode openApiSchema) {
    this.apiVersion = apiVersion;
    this.openApiSchema = openApiSchema;
    JsonMetaSchema meta = JsonMetaSchema.builder(META_SCHEMA, JsonMetaSchema.getV4())
        .keywords(KUBERNETES_KEYWORDS.stream().map(NonValidationKeyword::new).toList())
        .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
        .build();
    JsonSchemaFactory factory = JsonSchemaFactory.builder()
        .defaultMetaSchemaIri(META_SCHEMA)
        .metaSchema(meta)
        .build();
    this.structural = factory.getSchema(openApiSchema,
        SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build());
    this.rules = new CelRules(openApiSchema);
  }

  /** The CRD under {@code ${project.root}/crds/}, first version. */
  public static CrdSchema load() {
    Path file = Path.of(System.getProperty("project.root", "..")).resolve(CRD_FILE);
    JsonNode crd;
    try {
      crd = new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    JsonNode version = crd.path("spec").path("versions").path(0);
    JsonNode schema = version.path("schema").path("openAPIV3Schema");
    if (!schema.isObject()) {
      throw new IllegalStateException(file + " has no spec.versions[0].schema.openAPIV3Schema");
    }
    return new CrdSchema(
        crd.path("spec").path("group").asText() + "/" + version.path("name").asText(), schema);
  }

  /** {@code group/version}, what a document's apiVersion must say. */
  String apiVersion() {
    return apiVersion;
  }

  List<CelRules.Rule> rules() {
    return rules.all();
  }

  public JsonNode withDefaults(JsonNode document) {
    return SchemaDefaults.apply(openApiSchema, document);
  }

  /**
   * Validates a whole ReloadlyCredential document. Throws {@link CelRules.RuleFailure} when a rule
   * errors on a document that is otherwise valid: that is a broken rule, not a rejected document.
   */
  public Verdict validate(JsonNode document) {
    JsonNode defaulted = withDefaults(document);
    List<ValidationMessage> found = new ArrayList<>(structural.validate(defaulted));
    found.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
        .thenComparing(ValidationMessage::getType));
    List<String> structuralFindings = new ArrayList<>();
    found.forEach(m -> structuralFindings.add("[" + m.getType() + "] " + m.getMessage()));
    structuralFindings.addAll(unknownFields(defaulted));
    if (found.stream().anyMatch(m -> BLOCKING_KEYWORDS.contains(m.getType()))) {
      return new Verdict(structuralFindings, List.of(RULES_NOT_CHECKED));
    }
    // Undeclared fields are pruned before the rules see the object, so only OpenAPI findings
    // excuse a rule that cannot evaluate.
    return new Verdict(structuralFindings,
        rules.violations(openApiSchema, defaulted, !found.isEmpty()));
  }

  /**
   * Fields the schema does not declare. The API server prunes them, and kubectl (strict field
   * validation by default) refuses the apply, so a misspelt field in a sample is an error.
   */
  List<String> unknownFields(JsonNode document) {
    List<String> out = new ArrayList<>();
    findUnknown(openApiSchema, document, "$", out);
    return out;
  }

  private static void findUnknown(JsonNode schema, JsonNode value, String path, List<String> out) {
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return;
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        findUnknown(schema.get("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
    if (!value.isObject() || !"object".equals(schema.path("type").asText())) {
      return;
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String name = field.getKey();
      if (properties.has(name)) {
        findUnknown(properties.get(name), field.getValue(), path + "." + name, out);
      } else if (additional != null && additional.isObject()) {
        findUnknown(additional, field.getValue(), path + "." + name, out);
      } else if (!("$".equals(path) && OBJECT_ENVELOPE.contains(name))) {
        out.add("[unknown] " + path + "." + name + ": field not declared in the schema");
      }
    }
  }
}
