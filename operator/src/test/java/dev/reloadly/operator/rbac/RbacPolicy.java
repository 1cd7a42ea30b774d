package dev.reloadly.operator.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules a manifest of deploy/ grants one service account, read from its YAML: ClusterRoles
 * bound by a ClusterRoleBinding apply everywhere, Roles (or ClusterRoles) bound by a RoleBinding
 * only in the binding's namespace. Rules are matched as RBAC does, without wildcards (the
 * manifests have none, and a test says so).
 */
final class RbacPolicy {
  /** One rule of one role, and where it applies (null: every namespace and cluster scope). */
  record Grant(String role, int index, String namespace, PolicyRule rule) {
    boolean allows(ApiRequest request) {
      return (namespace == null || namespace.equals(request.namespace()))
          && rule.getApiGroups().contains(request.group())
          && rule.getResources().contains(request.ruleResource())
          && rule.getVerbs().contains(request.verb())
          && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              || (request.name() != null && rule.getResourceNames().contains(request.name())));
    }

    @Override
    public String toString() {
      return role + " rule " + index + " " + rule.getVerbs() + " " + rule.getApiGroups() + " "
          + rule.getResources() + (rule.getResourceNames() == null || rule.getResourceNames()
              .isEmpty() ? "" : " names " + rule.getResourceNames());
    }
  }

  private final List<Grant> grants;
  private final List<HasMetadata> objects;

  private RbacPolicy(List<Grant> grants, List<HasMetadata> objects) {
    this.grants = grants;
    this.objects = objects;
  }

  static RbacPolicy load(Path manifest, String serviceAccountNamespace, String serviceAccount) {
    List<HasMetadata> objects = new ArrayList<>();
    KubernetesSerialization serialization = new KubernetesSerialization();
    try {
      for (String document : Files.readString(manifest).split("(?m)^---\\s*$")) {
        if (!document.replaceAll("(?m)^\\s*#.*$", "").isBlank()) {
          objects.add(serialization.unmarshal(document, HasMetadata.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, ClusterRole> clusterRoles = objects.stream().filter(ClusterRole.class::isInstance)
        .map(ClusterRole.class::cast)
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), Function.identity()));
    Map<String, Role> roles = objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
        .collect(Collectors.toMap(r -> r.getMetadata().getNamespace() + "/"
            + r.getMetadata().getName(), Function.identity()));
    List<Grant> grants = new ArrayList<>();
    for (HasMetadata object : objects) {
      if (object instanceof ClusterRoleBinding binding
          && bindsAccount(binding.getSubjects(), serviceAccountNamespace, serviceAccount)) {
        addRules(grants, binding.getRoleRef(), clusterRoles, roles, null);
      } else if (object instanceof RoleBinding binding
          && bindsAccount(binding.getSubjects(), serviceAccountNamespace, serviceAccount)) {
        addRules(grants, binding.getRoleRef(), clusterRoles, roles,
            binding.getMetadata().getNamespace());
      }
    }
    return new RbacPolicy(grants, objects);
  }

  private static boolean bindsAccount(List<Subject> subjects, String namespace, String account) {
    return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && account.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  private static void addRules(List<Grant> grants, RoleRef ref, Map<String, ClusterRole> clusterRoles,
      Map<String, Role> roles, String namespace) {
    List<PolicyRule> rules;
    String label;
    if ("ClusterRole".equals(ref.getKind())) {
      ClusterRole role = clusterRoles.get(ref.getName());
      if (role == null) {
        throw new IllegalStateException("binding refers to missing ClusterRole " + ref.getName());
      }
      rules = role.getRules();
      label = "ClusterRole " + ref.getName() + (namespace == null ? "" : " in " + namespace);
    } else {
      Role role = roles.get(namespace + "/" + ref.getName());
      if (role == null) {
        throw new IllegalStateException("binding refers to missing Role " + namespace + "/"
            + ref.getName());
      }
      rules = role.getRules();
      label = "Role " + namespace + "/" + ref.getName();
    }
    for (int i = 0; i < rules.size(); i++) {
      grants.add(new Grant(label, i, namespace, rules.get(i)));
    }
  }

  List<Grant> grants() {
    return grants;
  }

  List<HasMetadata> objects() {
    return objects;
  }

  /** Every grant that allows the request; empty means denied. */
  List<Grant> allowing(ApiRequest request) {
    return grants.stream().filter(g -> g.allows(request)).toList();
  }

  /** The grants that apply in a namespace, as a SelfSubjectRulesReview reports them. */
  List<Grant> applyingIn(String namespace) {
    return grants.stream().filter(g -> g.namespace() == null || g.namespace().equals(namespace))
        .toList();
  }
}
