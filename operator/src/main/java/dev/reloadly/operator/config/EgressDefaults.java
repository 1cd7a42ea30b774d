package dev.reloadly.operator.config;

/**
 * Operator-wide egress settings.
 *
 * @param natNodeSelector label selector of the Nodes the operator watches as NAT nodes (the only
 *     Nodes it caches); spec.egress.natNodeSelector chooses among them
 */
public record EgressDefaults(String natNodeSelector) {
  public static final String DEFAULT_NAT_NODE_SELECTOR = "security.reloadly.dev/nat-node=true";

  public EgressDefaults {
    if (natNodeSelector == null || natNodeSelector.isBlank()) {
      throw new IllegalArgumentException("the NAT node selector must not be empty: the operator"
          + " would cache every Node of the cluster");
    }
    dev.reloadly.operator.selection.LabelSelectors.parse(natNodeSelector);
  }

  public static EgressDefaults defaults() {
    return new EgressDefaults(DEFAULT_NAT_NODE_SELECTOR);
  }
}
