package dev.reloadly.operator.api.v1alpha1;

/** How egress to Reloadly is pinned to the NAT nodes. */
public enum EgressMode {
  /** A Kubernetes NetworkPolicy for the consumers' pods. */
  NetworkPolicy,
  /** A CiliumEgressGatewayPolicy through the NAT nodes. */
  CiliumEgressGateway
}
