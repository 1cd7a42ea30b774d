package dev.reloadly.operator.api.v1alpha1;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.Map;

/**
 * Descriptions of the fields of Kubernetes types the API embeds (selectors, egress rules,
 * tolerations, conditions), whose Fabric8 classes carry none. The schema is walked beside the
 * Java classes, so a type is recognised by its class wherever it appears, however deep.
 */
final class EmbeddedTypeDescriptions {
  /** Field name to description, per embedded class. Written for this API, not copied upstream. */
  static final Map<Class<?>, Map<String, String>> TABLE = Map.of(
      LabelSelector.class, Map.of(
          "matchLabels", "Labels an object must carry, all of them, as key: value pairs.",
          "matchExpressions", "Label requirements an object must meet, all of them."),
      LabelSelectorRequirement.class, Map.of(
          "key", "The label key the requirement is about.",
          "operator", "In, NotIn, Exists or DoesNotExist.",
          "values", "The label values for In and NotIn; empty for Exists and DoesNotExist."),
      NetworkPolicyEgressRule.class, Map.of(
          "to", "Destinations the rule allows; absent or empty allows every destination.",
          "ports", "Destination ports the rule allows; absent or empty allows every port."),
      NetworkPolicyPeer.class, Map.of(
          "ipBlock", "A range of IP addresses, for destinations outside the cluster.",
          "namespaceSelector", "Namespaces by label (empty: all); with podSelector, only the"
              + " pods it selects in them.",
          "podSelector", "Pods by label, in the credential's namespace unless namespaceSelector"
              + " is set."),
      IPBlock.class, Map.of(
          "cidr", "The range, as a CIDR such as 10.20.0.0/16.",
          "except", "CIDRs inside cidr that stay excluded."),
      NetworkPolicyPort.class, Map.of(
          "port", "Port number or named port; absent: every port.",
          "endPort", "Last port of a range that starts at port (a number).",
          "protocol", "TCP (the default), UDP or SCTP."),
      Toleration.class, Map.of(
          "key", "Taint key it tolerates; empty, with operator Exists, tolerates every taint.",
          "operator", "Equal (the default) or Exists.",
          "value", "Taint value it matches, with operator Equal.",
          "effect", "Taint effect it matches: NoSchedule, PreferNoSchedule or NoExecute; empty"
              + " matches every effect.",
          "tolerationSeconds", "With effect NoExecute, how long the pod stays on a node after"
              + " the taint appears; absent: for ever."),
      Condition.class, Map.of(
          "type", "Condition type, e.g. Ready or RotationDue.",
          "status", "True, False or Unknown.",
          "reason", "One-word machine-readable reason in CamelCase.",
          "message", "What happened, for a person. Never holds a secret.",
          "lastTransitionTime", "When the status last changed (RFC 3339).",
          "observedGeneration", "The spec generation the condition was set for."));

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EmbeddedTypeDescriptions() {}

  /** Fills in the missing descriptions under {@code schema}, the schema of {@code type}. */
  static void fill(JSONSchemaProps schema, Class<?> type) {
    fill(schema, MAPPER.constructType(type));
  }

  /** The JSON property names Jackson (and so the CRD generator) gives {@code type}. */
  static java.util.Set<String> propertyNames(Class<?> type) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    introspect(MAPPER.constructType(type)).findProperties().forEach(p -> names.add(p.getName()));
    return names;
  }

  private static void fill(JSONSchemaProps schema, JavaType type) {
    if (schema == null) {
      return;
    }
    // Items of an array and values of a map take the description of their field: kubectl explain
    // shows that one, and so does the API reference.
    if (type.isCollectionLikeType() || type.isArrayType()) {
      if (schema.getItems() != null) {
        fill(schema.getItems().getSchema(), type.getContentType());
      }
      return;
    }
    if (type.isMapLikeType()) {
      if (schema.getAdditionalProperties() != null) {
        fill(schema.getAdditionalProperties().getSchema(), type.getContentType());
      }
      return;
    }
    if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
      return;
    }
    Map<String, String> known = TABLE.getOrDefault(type.getRawClass(), Map.of());
    for (BeanPropertyDefinition property : introspect(type).findProperties()) {
      JSONSchemaProps field = schema.getProperties().get(property.getName());
      if (field == null) {
        continue;
      }
      if (field.getDescription() == null) {
        field.setDescription(known.get(property.getName()));
      }
      fill(field, property.getPrimaryType());
    }
  }

  private static BeanDescription introspect(JavaType type) {
    return MAPPER.getSerializationConfig().introspect(type);
  }
}
