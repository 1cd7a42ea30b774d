package dev.reloadly.operator.config;

/**
 * Operator-wide egress settings.
 *
 * @param natNodeSelector label selector of the Nodes the operator watches as NAT nodes (the only
 *     Nodes it caches); spec.egress.natNodeSelector chooses among them
 * @param probeImage the egress probe's image when spec.egress.probe.image is not set (sh, curl)
 */
public record EgressDefaults(String natNodeSelector, String probeImage) {
  public static final String DEFAULT_NAT_NODE_SELECTOR = "security.reloadly.dev/nat-node=true";
  public static final String DEFAULT_PROBE_IMAGE = "docker.io/curlimages/curl:8.11.1";

  public EgressDefaults {
    if (natNodeSelector == null || natNodeSelector.isBlank()) {
      throw new IllegalArgumentException("the NAT node selector must not be empty: the operator"
          + " would cache every Node of the cluster");
    }
    dev.reloadly.operator.selection.LabelSelectors.parse(natNodeSelector);
    if (probeImage == null || probeImage.isBlank()) {
      throw new IllegalArgumentException("the probe image must not be empty");
    }
  }

  public static EgressDefaults defaults() {
    return new EgressDefaults(DEFAULT_NAT_NODE_SELECTOR, DEFAULT_PROBE_IMAGE);
  }
}
