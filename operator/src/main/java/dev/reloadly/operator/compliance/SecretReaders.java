package dev.reloadly.operator.compliance;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who may read a Secret (get, list or watch it) through the RBAC objects of its namespace and of
 * the cluster, as subjects named {@code ServiceAccount:ns/name}, {@code User:name} or
 * {@code Group:name}. Pure: the caller hands in what its informers hold.
 */
public final class SecretReaders {
  static final Set<String> READ = Set.of("get", "list", "watch", "*");

  /** The RBAC objects that can grant access in one namespace. */
  public record Rbac(List<Role> roles, List<RoleBinding> roleBindings,
      List<ClusterRole> clusterRoles, List<ClusterRoleBinding> clusterRoleBindings) {}

  private SecretReaders() {}

  /**
   * @param allowed subjects that may read it (the consumers' service accounts, the operator)
   * @return the other subjects that may read Secret {@code secret}, sorted; cluster admins
   *     (bound to cluster-admin) and the control plane (system:* names, kube-system service
   *     accounts) are not listed
   */
  public static TreeSet<String> unexpected(String namespace, Set<String> secrets, Rbac rbac,
      Set<String> allowed) {
    Map<String, Role> roles = rbac.roles().stream().filter(r -> namespace.equals(
        r.getMetadata().getNamespace())).collect(Collectors.toMap(r -> r.getMetadata().getName(),
        Function.identity(), (a, b) -> a));
    Map<String, ClusterRole> clusterRoles = rbac.clusterRoles().stream().collect(
        Collectors.toMap(r -> r.getMetadata().getName(), Function.identity(), (a, b) -> a));
    TreeSet<String> readers = new TreeSet<>();
    for (RoleBinding binding : rbac.roleBindings()) {
      if (!namespace.equals(binding.getMetadata().getNamespace())) {
        continue;
      }
      if (grants(rules(binding.getRoleRef(), roles, clusterRoles), secrets)) {
        subjects(binding.getSubjects(), binding.getRoleRef(), namespace).forEach(readers::add);
      }
    }
    for (ClusterRoleBinding binding : rbac.clusterRoleBindings()) {
      if (grants(rules(binding.getRoleRef(), Map.of(), clusterRoles), secrets)) {
        subjects(binding.getSubjects(), binding.getRoleRef(), null).forEach(readers::add);
      }
    }
    readers.removeAll(allowed);
    return readers;
  }

  private static List<PolicyRule> rules(RoleRef ref, Map<String, Role> roles,
      Map<String, ClusterRole> clusterRoles) {
    if (ref == null) {
      return List.of();
    }
    return "Role".equals(ref.getKind())
        ? Optional.ofNullable(roles.get(ref.getName())).map(Role::getRules).orElse(List.of())
        : Optional.ofNullable(clusterRoles.get(ref.getName())).map(ClusterRole::getRules)
            .orElse(List.of());
  }

  /** Whether a rule lets its holder get, list or watch any of {@code secrets}. */
  static boolean grants(List<PolicyRule> rules, Set<String> secrets) {
    for (PolicyRule rule : rules == null ? List.<PolicyRule>of() : rules) {
      boolean group = rule.getApiGroups() != null
          && (rule.getApiGroups().contains("") || rule.getApiGroups().contains("*"));
      boolean resource = rule.getResources() != null
          && (rule.getResources().contains("secrets") || rule.getResources().contains("*"));
      boolean verb = rule.getVerbs() != null && rule.getVerbs().stream().anyMatch(READ::contains);
      boolean name = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          || rule.getResourceNames().stream().anyMatch(secrets::contains);
      if (group && resource && verb && name) {
        return true;
      }
    }
    return false;
  }

  private static List<String> subjects(List<Subject> subjects, RoleRef ref,
      String bindingNamespace) {
    if (subjects == null || (ref != null && "ClusterRole".equals(ref.getKind())
        && "cluster-admin".equals(ref.getName()))) {
      return List.of();
    }
    return subjects.stream()
        .filter(s -> s.getName() != null && !s.getName().startsWith("system:"))
        .map(s -> "ServiceAccount".equals(s.getKind())
            ? "ServiceAccount:" + Optional.ofNullable(s.getNamespace()).orElse(bindingNamespace)
                + "/" + s.getName()
            : s.getKind() + ":" + s.getName())
        .filter(s -> !s.startsWith("ServiceAccount:kube-system/"))
        .toList();
  }
}
