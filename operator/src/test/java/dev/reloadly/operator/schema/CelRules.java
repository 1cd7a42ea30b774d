package dev.reloadly.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-kubernetes-validations} rules of a structural schema, compiled once and evaluated
 * with {@code self} bound to the value at each schema node that carries them.
 */
final class CelRules {
  /** One compiled rule; {@code schemaPath} is where it sits, e.g. {@code $.spec.rotation}. */
  record Rule(String schemaPath, String expression, String message, String fieldPath,
      CelRuntime.Program program) {}

  /** A rule that cannot compile or evaluate; on an API server it breaks the CRD or the request. */
  static final class RuleFailure extends RuntimeException {
    RuleFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // Kubernetes types self from the schema; dyn is looser but catches syntax, unknown functions
  // and macros. The strings extension is on in every Kubernetes CEL environment.
  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN)
      .addCompilerLibraries(CelExtensions.strings())
      .addRuntimeLibraries(CelExtensions.strings())
      .setResultType(SimpleType.BOOL)
      .build();

  private final Map<JsonNode, List<Rule>> rulesBySchemaNode = new IdentityHashMap<>();
  private final List<Rule> all = new ArrayList<>();

  /** Compiles every rule reachable from {@code schema}; throws listing each rule that fails. */
  CelRules(JsonNode schema) {
    List<String> failures = new ArrayList<>();
    collect(schema, "$", failures);
    if (!failures.isEmpty()) {
      throw new RuleFailure("CEL rules that do not compile:\n" + String.join("\n", failures), null);
    }
    int declared = schema.findValues("x-kubernetes-validations").size();
    if (declared != rulesBySchemaNode.size()) {
      throw new IllegalStateException(declared + " schema nodes declare x-kubernetes-validations"
          + " but only " + rulesBySchemaNode.size() + " are reachable through properties, items and"
          + " additionalProperties; the walk would skip some rules");
    }
  }

  List<Rule> all() {
    return List.copyOf(all);
  }

  /**
   * Messages of the rules that {@code document} breaks, in schema order. An evaluation error
   * throws {@link RuleFailure}, unless {@code evaluationErrorsAsFindings}: the API server reports
   * such errors as invalid values, which is expected once a field already broke its pattern.
   */
  List<String> violations(JsonNode schema, JsonNode document, boolean evaluationErrorsAsFindings) {
    List<String> out = new ArrayList<>();
    evaluate(schema, document, "$", evaluationErrorsAsFindings, out);
    return out;
  }

  private void collect(JsonNode schema, String path, List<String> failures) {
    JsonNode validations = schema.get("x-kubernetes-validations");
    if (validations != null) {
      List<Rule> rules = new ArrayList<>();
      for (JsonNode validation : validations) {
        String expression = validation.path("rule").asText();
        CelValidationResult compiled = CEL.compile(expression);
        if (compiled.hasError()) {
          failures.add(path + ": " + expression + "\n" + compiled.getErrorString());
          continue;
        }
        try {
          rules.add(new Rule(path, expression, validation.path("message").asText(expression),
              validation.path("fieldPath").asText(""), CEL.createProgram(compiled.getAst())));
        } catch (Exception e) {
          failures.add(path + ": " + expression + "\n" + e);
        }
      }
      rulesBySchemaNode.put(schema, rules);
      all.addAll(rules);
    }
    schema.path("properties").properties()
        .forEach(p -> collect(p.getValue(), path + "." + p.getKey(), failures));
    if (schema.has("items")) {
      collect(schema.get("items"), path + "[*]", failures);
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), path + ".*", failures);
    }
  }

  private void evaluate(JsonNode schema, JsonNode value, String path,
      boolean evaluationErrorsAsFindings, List<String> out) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    for (Rule rule : rulesBySchemaNode.getOrDefault(schema, List.of())) {
      Object result;
      try {
        result = rule.program().eval(Map.of("self", toCel(value, schema)));
      } catch (CelEvaluationException e) {
        if (!evaluationErrorsAsFindings) {
          throw new RuleFailure("rule at " + path + " failed on a schema-valid value "
              + value + ": " + rule.expression() + "\n" + e.getMessage(), e);
        }
        out.add("[rule] " + path + rule.fieldPath() + ": rule could not be evaluated: "
            + e.getMessage());
        continue;
      }
      if (!(result instanceof Boolean)) {
        throw new RuleFailure("rule at " + path + " returned " + result + " instead of a bool: "
            + rule.expression(), null);
      }
      if (!(Boolean) result) {
        out.add("[rule] " + path + rule.fieldPath() + ": " + rule.message());
      }
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        if (properties.has(field.getKey())) {
          evaluate(properties.get(field.getKey()), field.getValue(), path + "." + field.getKey(),
              evaluationErrorsAsFindings, out);
        } else if (additional != null && additional.isObject()) {
          evaluate(additional, field.getValue(), path + "." + field.getKey(),
              evaluationErrorsAsFindings, out);
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        evaluate(schema.get("items"), value.get(i), path + "[" + i + "]",
            evaluationErrorsAsFindings, out);
      }
    }
  }

  /**
   * The value as CEL sees it on an API server: fields the schema does not declare are pruned, and
   * a whole number under {@code type: number} is a double.
   */
  static Object toCel(JsonNode value, JsonNode schema) {
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      boolean keepUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        JsonNode fieldSchema = properties.has(field.getKey()) ? properties.get(field.getKey())
            : additional != null && additional.isObject() ? additional
            : keepUnknown ? MissingNode.getInstance()
            : null;
        if (fieldSchema != null) {
          map.put(field.getKey(), toCel(field.getValue(), fieldSchema));
        }
      }
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(item -> list.add(toCel(item, schema.path("items"))));
      return list;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return value.isIntegralNumber() && !"number".equals(schema.path("type").asText())
          ? (Object) value.longValue() : (Object) value.doubleValue();
    }
    if (value.isNull()) {
      return NullValue.NULL_VALUE;
    }
    throw new IllegalArgumentException("no CEL value for " + value.getNodeType() + ": " + value);
  }
}
