package dev.reloadly.operator.egress;

import static dev.reloadly.operator.api.v1alpha1.Conditions.EGRESS_ALLOWLISTED;
import static dev.reloadly.operator.api.v1alpha1.Conditions.EGRESS_READY;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.EgressMode;
import dev.reloadly.operator.api.v1alpha1.EgressStatus;
import dev.reloadly.operator.api.v1alpha1.NatNodeStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import dev.reloadly.operator.rollout.Consumer;
import dev.reloadly.operator.selection.LabelSelectors;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Pins a credential's consumers' egress to the NAT nodes: one NetworkPolicy per consumer
 * workload, kept in step with the Ready NAT nodes, and a check that each NAT node's stable IP is
 * on the allowlist registered with Reloadly (guideline C7). Removing spec.egress removes the
 * policies. Writes only the operator's own policies, through {@link EgressPolicyStore}.
 */
public final class CredentialEgress {
  private final EgressPolicyStore policies;
  private final GatewayPolicyStore gateways;
  private final LabelSelector defaultNatNodes;

  /** @param defaultNatNodes the operator's NAT node selector, for specs that set none */
  public CredentialEgress(EgressPolicyStore policies, GatewayPolicyStore gateways,
      LabelSelector defaultNatNodes) {
    this.policies = policies;
    this.gateways = gateways;
    this.defaultNatNodes = defaultNatNodes;
  }

  /**
   * @param settings spec.egress parsed; empty when the spec has none
   * @param nodes every cached NAT node (the operator's node informer selects them)
   * @param previousAllowlistMessage the EgressAllowlisted message last written, to announce a
   *     drift once
   */
  public record Input(ReloadlyCredential credential, Optional<EgressSettings> settings,
      List<NatNode> nodes, List<Consumer> consumers, String previousAllowlistMessage) {

    /** The gateway policy status says the operator keeps, if any. */
    String previousGateway() {
      return Optional.ofNullable(credential.getStatus()).map(s -> s.getEgress())
          .map(e -> e.getGatewayPolicy()).orElse(null);
    }
  }

  /**
   * @param status status.egress (null without spec.egress)
   * @param conditions EgressReady and EgressAllowlisted; empty without spec.egress (then both go)
   * @param notAllowlisted stable IPs outside the allowlist, for the gauge
   */
  public record Result(EgressStatus status, List<ConditionUpdate> conditions,
      List<ConditionUpdate> warnings, TreeSet<String> notAllowlisted) {}

  public Result apply(Input in) {
    String namespace = in.credential().getMetadata().getNamespace();
    String name = in.credential().getMetadata().getName();
    List<NetworkPolicy> existing = policies.existing(namespace, name,
        in.credential().getMetadata().getUid());
    if (in.settings().isEmpty()) {
      existing.forEach(policies::delete);
      removeGateway(in.previousGateway());
      return new Result(null, List.of(), List.of(), new TreeSet<>());
    }
    EgressSettings settings = in.settings().get();
    List<NatNode> selected = in.nodes().stream()
        .filter(n -> LabelSelectors.matches(settings.natNodeSelector(), n.labels()))
        .sorted(Comparator.comparing(NatNode::name)).toList();
    List<NatNode> ready = selected.stream().filter(NatNode::ready).toList();
    // A Ready node without an InternalIP cannot be allowed: it does not count as a NAT node.
    List<NatNode> usable = ready.stream().filter(n -> n.internalIP() != null).toList();
    EgressStatus status = new EgressStatus();
    status.setNatNodes(selected.stream().map(n -> new NatNodeStatus(n.name(), n.internalIP(),
        n.stableIP(), n.ready())).toList());
    List<ConditionUpdate> conditions = new ArrayList<>();
    List<ConditionUpdate> warnings = new ArrayList<>();

    if (settings.mode() == EgressMode.CiliumEgressGateway) {
      if (!gateways.installed()) {
        // Nothing else changes: policies written before (another mode) keep protecting.
        conditions.add(new ConditionUpdate(EGRESS_READY, false, Conditions.CILIUM_NOT_INSTALLED,
            "mode CiliumEgressGateway needs Cilium's CiliumEgressGatewayPolicy CRD (cilium.io/v2),"
                + " which the API server does not serve; nothing was changed"));
        status.setPolicies(existing.stream().map(p -> p.getMetadata().getName()).sorted()
            .toList());
        status.setGatewayPolicy(in.previousGateway());
      } else {
        List<LabelSelector> pods = in.consumers().stream()
            .filter(c -> c.rolled() && c.workload().isPresent()
                && !LabelSelectors.isEmpty(c.workload().get().selector()))
            .map(c -> c.workload().get().selector()).toList();
        GenericKubernetesResource desired = GatewayPolicies.build(in.credential(), pods,
            LabelSelectors.isEmpty(settings.natNodeSelector()) ? defaultNatNodes
                : settings.natNodeSelector(), settings);
        String gatewayName = desired.getMetadata().getName();
        Optional<GenericKubernetesResource> have = gateways.get(gatewayName);
        boolean conflict = false;
        if (have.isEmpty()) {
          conflict = !gateways.create(desired);
        } else if (!ours(have.get(), in.credential())) {
          conflict = true;
        } else if (!Objects.equals(have.get().getAdditionalProperties().get("spec"),
            toPlain(desired.getAdditionalProperties().get("spec")))) {
          gateways.update(have.get(), desired);
        }
        if (!conflict) {
          existing.forEach(policies::delete);
          status.setGatewayPolicy(gatewayName);
        }
        conditions.add(conflict
            ? new ConditionUpdate(EGRESS_READY, false, Conditions.TARGET_CONFLICT,
                "CiliumEgressGatewayPolicy " + gatewayName + " exists and is not this"
                    + " credential's; it is left untouched")
            : ready.isEmpty()
            ? new ConditionUpdate(EGRESS_READY, false, Conditions.NO_NAT_NODES, "no Ready NAT"
                + " node is selected: CiliumEgressGatewayPolicy " + gatewayName + " has no"
                + " gateway to send the consumers' traffic through")
            : new ConditionUpdate(EGRESS_READY, true, Conditions.POLICIES_APPLIED,
                "CiliumEgressGatewayPolicy " + gatewayName + " sends the traffic of "
                    + pods.size() + " consumer(s) to " + settings.destinationCIDRs()
                    + " through the NAT nodes"));
      }
    } else {
      List<String> skipped = new ArrayList<>();
      Map<String, NetworkPolicy> desired = new LinkedHashMap<>();
      List<String> unpinned = new ArrayList<>();
      for (Consumer c : in.consumers()) {
        if (c.workload().isEmpty()) {
          continue;
        }
        if (!c.rolled()) {
          unpinned.add(c.key());
          continue;
        }
        if (LabelSelectors.isEmpty(c.workload().get().selector())) {
          skipped.add(c.key());
          continue;
        }
        NetworkPolicy policy = EgressPolicies.build(in.credential(), c.name(),
            c.workload().get().selector(), settings, usable);
        if (desired.containsKey(policy.getMetadata().getName())) {
          // Two kinds with one name (a Deployment and a StatefulSet "api"): the kind tells apart.
          policy = EgressPolicies.build(in.credential(),
              c.kind().name().toLowerCase(java.util.Locale.ROOT) + "-" + c.name(),
              c.workload().get().selector(), settings, usable);
        }
        desired.put(policy.getMetadata().getName(), policy);
      }
      List<String> conflicts = reconcile(existing, desired);
      removeGateway(in.previousGateway());
      status.setPolicies(desired.keySet().stream().sorted().toList());
      String nat = usable.stream().map(n -> n.name() + " (" + n.internalIP() + ")").toList()
          .toString();
      String skippedNote = (skipped.isEmpty() ? "" : "; no policy for " + skipped
          + " (they have no pod selector)")
          + (unpinned.isEmpty() ? "" : "; " + unpinned + " read the target Secret but are not"
          + " declared consumers, so their egress is not pinned (declare them, or set"
          + " consumers.includeDiscovered)")
          + (usable.size() < ready.size() ? "; Ready NAT nodes without an InternalIP are left"
          + " out" : "");
      conditions.add(!conflicts.isEmpty()
          ? new ConditionUpdate(EGRESS_READY, false, Conditions.TARGET_CONFLICT, "NetworkPolicies "
              + conflicts + " exist and are not this credential's; they are left untouched")
          : usable.isEmpty()
          ? new ConditionUpdate(EGRESS_READY, false, Conditions.NO_NAT_NODES, "no Ready NAT node"
              + " is selected: the consumers' egress policies allow DNS and additionalEgress only,"
              + " so Reloadly cannot be reached" + skippedNote)
          : new ConditionUpdate(EGRESS_READY, true, Conditions.POLICIES_APPLIED, desired.size()
              + " NetworkPolicy(ies) let the consumers reach Reloadly only through the proxy on "
              + nat + skippedNote));
    }

    TreeSet<String> outside = new TreeSet<>();
    List<String> withoutIp = new ArrayList<>();
    for (NatNode n : ready) {
      if (n.stableIP() == null) {
        withoutIp.add(n.name());
      } else if (!settings.allowlists(n.stableIP())) {
        outside.add(n.stableIP());
      }
    }
    ConditionUpdate allowlist;
    if (outside.isEmpty() && withoutIp.isEmpty()) {
      allowlist = new ConditionUpdate(EGRESS_ALLOWLISTED, true, Conditions.ALLOWLISTED,
          ready.isEmpty() ? "no Ready NAT node to check"
              : "every Ready NAT node's stable IP is in spec.egress.allowlistedIPs");
    } else {
      String message = (outside.isEmpty() ? "" : "stable IPs " + outside + " are not in"
          + " spec.egress.allowlistedIPs: register them with Reloadly, or Reloadly rejects their"
          + " traffic")
          + (withoutIp.isEmpty() ? "" : (outside.isEmpty() ? "" : "; ") + "NAT nodes "
          + withoutIp + " have no stable IP (annotate " + ApiLabels.EGRESS_IP
          + ", or give them an ExternalIP)");
      allowlist = new ConditionUpdate(EGRESS_ALLOWLISTED, false, Conditions.IP_NOT_ALLOWLISTED,
          message);
      if (!Objects.equals(message, in.previousAllowlistMessage())) {
        warnings.add(allowlist);
      }
    }
    conditions.add(allowlist);
    return new Result(status, conditions, warnings, outside);
  }

  /** The credential was deleted: its cluster-scoped gateway policy goes too (no owner reference). */
  public void credentialDeleted(String namespace, String name) {
    if (gateways.installed()) {
      gateways.delete(GatewayPolicies.name(namespace, name));
    }
  }

  /** Removes the operator's gateway policies whose credential is not in {@code exists}. */
  public void removeOrphanedGateways(java.util.function.BiPredicate<String, String> exists) {
    if (!gateways.installed()) {
      return;
    }
    for (GenericKubernetesResource policy : gateways.ours()) {
      Map<String, String> labels = policy.getMetadata().getLabels();
      String namespace = labels.get(GatewayPolicies.CREDENTIAL_NAMESPACE);
      String credential = labels.get(ApiLabels.CREDENTIAL);
      if (namespace != null && credential != null && !exists.test(namespace, credential)) {
        gateways.delete(policy.getMetadata().getName());
      }
    }
  }

  private void removeGateway(String name) {
    if (name != null && gateways.installed()) {
      gateways.delete(name);
    }
  }

  private static boolean ours(GenericKubernetesResource policy, ReloadlyCredential credential) {
    Map<String, String> labels = policy.getMetadata().getLabels();
    return labels != null && ApiLabels.MANAGED_BY_VALUE.equals(labels.get(ApiLabels.MANAGED_BY))
        && credential.getMetadata().getName().equals(labels.get(ApiLabels.CREDENTIAL))
        && credential.getMetadata().getNamespace()
            .equals(labels.get(GatewayPolicies.CREDENTIAL_NAMESPACE));
  }

  /** The desired spec as the API server gives it back: plain maps and lists. */
  private static Object toPlain(Object spec) {
    return SERIALIZATION.convertValue(spec, Object.class);
  }

  private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization SERIALIZATION =
      new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

  /** Creates, updates and deletes; returns the names it could not create (not its own). */
  private List<String> reconcile(List<NetworkPolicy> existing,
      Map<String, NetworkPolicy> desired) {
    List<String> conflicts = new ArrayList<>();
    Map<String, NetworkPolicy> byName = new LinkedHashMap<>();
    existing.forEach(p -> byName.put(p.getMetadata().getName(), p));
    for (NetworkPolicy want : desired.values()) {
      NetworkPolicy have = byName.remove(want.getMetadata().getName());
      if (have == null) {
        if (!policies.create(want)) {
          conflicts.add(want.getMetadata().getName());
        }
      } else if (!Objects.equals(have.getSpec(), want.getSpec())) {
        policies.update(have, want);
      }
    }
    byName.values().forEach(policies::delete);
    return conflicts;
  }
}
