package dev.reloadly.operator.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretReadersTest {
  static final String NS = "payments";
  static final Set<String> SECRETS = Set.of("shop-reloadly");
  static final Set<String> ALLOWED = Set.of("ServiceAccount:payments/api");

  private static Role role(String name, String resourceName, String... verbs) {
    return new RoleBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .addNewRule().withApiGroups("").withResources("secrets").withVerbs(verbs)
        .withResourceNames(resourceName == null ? List.of() : List.of(resourceName)).endRule()
        .build();
  }

  private static RoleBinding binding(String role, String kind, String subjectKind,
      String subject) {
    return new RoleBindingBuilder().withNewMetadata().withName(role + "-" + subject)
        .withNamespace(NS).endMetadata().withNewRoleRef().withKind(kind).withName(role)
        .withApiGroup("rbac.authorization.k8s.io").endRoleRef().addNewSubject()
        .withKind(subjectKind).withName(subject).withNamespace(
            "ServiceAccount".equals(subjectKind) ? NS : null).endSubject().build();
  }

  private static Set<String> readers(List<Role> roles, List<RoleBinding> bindings,
      List<ClusterRole> clusterRoles, List<ClusterRoleBinding> clusterBindings) {
    return SecretReaders.unexpected(NS, SECRETS, new SecretReaders.Rbac(roles, bindings,
        clusterRoles, clusterBindings), ALLOWED);
  }

  @Test
  void aRoleThatReadsTheSecretNamesItsExtraSubjects() {
    assertThat(readers(List.of(role("read", null, "get")),
        List.of(binding("read", "Role", "User", "mallory"),
            binding("read", "Role", "ServiceAccount", "api")), List.of(), List.of()))
        .containsExactly("User:mallory");
  }

  @Test
  void otherSecretsOtherVerbsAndControlPlaneSubjectsDoNotCount() {
    assertThat(readers(List.of(role("other", "another-secret", "get"),
        role("write", null, "create")),
        List.of(binding("other", "Role", "User", "a"), binding("write", "Role", "User", "b")),
        List.of(), List.of())).isEmpty();
    ClusterRole everything = new ClusterRoleBuilder().withNewMetadata().withName("cluster-admin")
        .endMetadata().addNewRule().withApiGroups("*").withResources("*").withVerbs("*")
        .endRule().build();
    ClusterRoleBinding admins = new ClusterRoleBindingBuilder().withNewMetadata()
        .withName("admins").endMetadata().withNewRoleRef().withKind("ClusterRole")
        .withName("cluster-admin").endRoleRef().addNewSubject().withKind("Group")
        .withName("platform-admins").endSubject().build();
    assertThat(readers(List.of(), List.of(), List.of(everything), List.of(admins))).isEmpty();
  }

  @Test
  void aClusterRoleBoundClusterWideOrInTheNamespaceCounts() {
    ClusterRole readAll = new ClusterRoleBuilder().withNewMetadata().withName("secret-reader")
        .endMetadata().addNewRule().withApiGroups("").withResources("secrets")
        .withVerbs("list").endRule().build();
    ClusterRoleBinding wide = new ClusterRoleBindingBuilder().withNewMetadata().withName("w")
        .endMetadata().withNewRoleRef().withKind("ClusterRole").withName("secret-reader")
        .endRoleRef().addNewSubject().withKind("ServiceAccount").withNamespace("ci")
        .withName("deployer").endSubject().build();
    assertThat(readers(List.of(), List.of(binding("secret-reader", "ClusterRole", "Group",
        "devs")), List.of(readAll), List.of(wide)))
        .containsExactly("Group:devs", "ServiceAccount:ci/deployer");
  }
}
