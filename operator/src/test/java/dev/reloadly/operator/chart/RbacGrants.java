package dev.reloadly.operator.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a set of RBAC objects grants one ServiceAccount, flattened to single permissions, so two
 * ways of writing the same rules (split, merged, reordered, under other role names) compare
 * equal and any difference names the permission.
 */
final class RbacGrants {
  /** Scope of a ClusterRole bound by a ClusterRoleBinding: every namespace and the cluster. */
  static final String CLUSTER = "(cluster)";
  /** Resource name of a rule without resourceNames: any object. */
  static final String ANY_NAME = "(any)";

  /** One verb on one resource (or one named object of it) of one API group, in one scope. */
  record Grant(String scope, String apiGroup, String resource, String resourceName, String verb)
      implements Comparable<Grant> {
    @Override
    public int compareTo(Grant other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return scope + " " + verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource
          + (ANY_NAME.equals(resourceName) ? "" : " " + resourceName);
    }
  }

  private RbacGrants() {
  }

  /** Every permission the objects' bindings give {@code namespace/account}. */
  static Set<Grant> of(List<HasMetadata> objects, String namespace, String account) {
    Set<Grant> grants = new TreeSet<>();
    for (HasMetadata object : objects) {
      if (object instanceof ClusterRoleBinding binding
          && binds(binding.getSubjects(), namespace, account)) {
        add(grants, CLUSTER, rules(objects, binding.getRoleRef(), null));
      } else if (object instanceof RoleBinding binding
          && binds(binding.getSubjects(), namespace, account)) {
        String scope = binding.getMetadata().getNamespace();
        add(grants, scope, rules(objects, binding.getRoleRef(), scope));
      }
    }
    return grants;
  }

  /** The same grants, those of one namespace copied to others (deploy/'s "copy the pair"). */
  static Set<Grant> copiedTo(Set<Grant> grants, String from, List<String> to) {
    Set<Grant> copied = new TreeSet<>();
    for (Grant grant : grants) {
      if (grant.scope().equals(from)) {
        to.forEach(scope -> copied.add(new Grant(scope, grant.apiGroup(), grant.resource(),
            grant.resourceName(), grant.verb())));
      } else {
        copied.add(grant);
      }
    }
    return copied;
  }

  private static boolean binds(List<Subject> subjects, String namespace, String account) {
    return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && account.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  /** The rules a binding refers to; a reference to a role that is not there fails. */
  private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String namespace) {
    for (HasMetadata object : objects) {
      boolean named = object.getMetadata().getName().equals(ref.getName());
      if ("ClusterRole".equals(ref.getKind()) && object instanceof ClusterRole role && named) {
        return role.getRules();
      }
      if ("Role".equals(ref.getKind()) && object instanceof Role role && named
          && role.getMetadata().getNamespace().equals(namespace)) {
        return role.getRules();
      }
    }
    throw new IllegalStateException("a binding refers to a missing " + ref.getKind() + " "
        + (namespace == null ? "" : namespace + "/") + ref.getName());
  }

  private static void add(Set<Grant> grants, String scope, List<PolicyRule> rules) {
    for (PolicyRule rule : rules) {
      List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          ? List.of(ANY_NAME) : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String name : names) {
            for (String verb : rule.getVerbs()) {
              grants.add(new Grant(scope, group, resource, name, verb));
            }
          }
        }
      }
    }
  }
}
