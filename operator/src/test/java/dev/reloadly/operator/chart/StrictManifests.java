package dev.reloadly.operator.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests into Fabric8's typed model as strictly as the API server reads them:
 * an unknown or misspelt field, a number where a string belongs (or the other way round), or a
 * kind the chart is not expected to render fails, naming the object and the field.
 *
 * <p>Fabric8's model classes keep unknown fields in an "additional properties" map instead of
 * failing; this mapper turns that off, so FAIL_ON_UNKNOWN_PROPERTIES applies to every level.
 */
final class StrictManifests {
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Stream.of(
          Deployment.class, Service.class, ServiceAccount.class, ConfigMap.class, Pod.class,
          PodDisruptionBudget.class, NetworkPolicy.class, ClusterRole.class,
          ClusterRoleBinding.class, Role.class, RoleBinding.class, ServiceMonitor.class,
          PrometheusRule.class)
      .collect(Collectors.toMap(StrictManifests::typeKey, Function.identity()));

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper STRICT = strictMapper();

  private StrictManifests() {
  }

  /** Every document of a multi-document YAML stream, typed. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try {
      MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml);
      for (JsonNode document : documents.readAll()) {
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          objects.add(parse(document));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
    }
    return objects;
  }

  /** One object, typed by its apiVersion and kind. */
  static HasMetadata parse(JsonNode object) {
    String key = object.path("apiVersion").asText() + " " + object.path("kind").asText();
    Class<? extends HasMetadata> type = KINDS.get(key);
    if (type == null) {
      throw new IllegalArgumentException("no model for " + key + " (expected one of "
          + KINDS.keySet().stream().sorted().toList() + ")");
    }
    try {
      return STRICT.treeToValue(object, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(key + " " + object.path("metadata").path("name")
          .asText() + ": " + e.getMessage(), e);
    }
  }

  private static String typeKey(Class<? extends HasMetadata> type) {
    return HasMetadata.getApiVersion(type) + " " + HasMetadata.getKind(type);
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = JsonMapper.builder()
        .annotationIntrospector(new JacksonAnnotationIntrospector() {
          @Override
          public Boolean hasAnySetter(Annotated annotated) {
            return Boolean.FALSE;
          }
        })
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    // The API server takes no 8080 for a string field, nor "8080" for an integer one.
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    return mapper;
  }
}
