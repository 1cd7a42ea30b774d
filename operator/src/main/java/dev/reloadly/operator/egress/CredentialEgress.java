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

  public CredentialEgress(EgressPolicyStore policies) {
    this.policies = policies;
  }

  /**
   * @param settings spec.egress parsed; empty when the spec has none
   * @param nodes every cached NAT node (the operator's node informer selects them)
   * @param previousAllowlistMessage the EgressAllowlisted message last written, to announce a
   *     drift once
   */
  public record Input(ReloadlyCredential credential, Optional<EgressSettings> settings,
      List<NatNode> nodes, List<Consumer> consumers, String previousAllowlistMessage) {}

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
    List<NetworkPolicy> existing = policies.existing(namespace, name);
    if (in.settings().isEmpty()) {
      existing.forEach(policies::delete);
      return new Result(null, List.of(), List.of(), new TreeSet<>());
    }
    EgressSettings settings = in.settings().get();
    List<NatNode> selected = in.nodes().stream()
        .filter(n -> LabelSelectors.matches(settings.natNodeSelector(), n.labels()))
        .sorted(Comparator.comparing(NatNode::name)).toList();
    List<NatNode> ready = selected.stream().filter(NatNode::ready).toList();
    EgressStatus status = new EgressStatus();
    status.setNatNodes(selected.stream().map(n -> new NatNodeStatus(n.name(), n.internalIP(),
        n.stableIP(), n.ready())).toList());
    List<ConditionUpdate> conditions = new ArrayList<>();
    List<ConditionUpdate> warnings = new ArrayList<>();

    if (settings.mode() == EgressMode.CiliumEgressGateway) {
      existing.forEach(policies::delete);
      conditions.add(new ConditionUpdate(EGRESS_READY, false, Conditions.MODE_NOT_SUPPORTED,
          "mode CiliumEgressGateway is not supported by this release; use NetworkPolicy"));
    } else {
      List<String> skipped = new ArrayList<>();
      Map<String, NetworkPolicy> desired = new LinkedHashMap<>();
      for (Consumer c : in.consumers()) {
        if (!c.rolled() || c.workload().isEmpty()) {
          continue;
        }
        if (LabelSelectors.isEmpty(c.workload().get().selector())) {
          skipped.add(c.key());
          continue;
        }
        NetworkPolicy policy = EgressPolicies.build(in.credential(), c.name(),
            c.workload().get().selector(), settings, ready);
        desired.put(policy.getMetadata().getName(), policy);
      }
      List<String> conflicts = reconcile(existing, desired);
      status.setPolicies(desired.keySet().stream().sorted().toList());
      String nat = ready.stream().map(n -> n.name() + " (" + n.internalIP() + ")").toList()
          .toString();
      String skippedNote = skipped.isEmpty() ? "" : "; no policy for " + skipped
          + " (they have no pod selector)";
      conditions.add(!conflicts.isEmpty()
          ? new ConditionUpdate(EGRESS_READY, false, Conditions.TARGET_CONFLICT, "NetworkPolicies "
              + conflicts + " exist and are not this credential's; they are left untouched")
          : ready.isEmpty()
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
