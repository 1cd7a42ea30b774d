package dev.reloadly.operator.compliance;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code consumers.grantAccess}: a Role {@code <credential>-reader} that allows only {@code get}
 * of the target Secret by name, and a RoleBinding of it to the consumers' service accounts. Both
 * are owned by the credential; a Role or RoleBinding of that name that is not is left alone.
 */
public final class ConsumerAccess {
  /** Where the Role and RoleBinding live; the cluster one is {@link ClusterConsumerAccess}. */
  public interface Store {
    Optional<Role> role(String namespace, String name);

    Optional<RoleBinding> binding(String namespace, String name);

    void write(HasMetadata desired, Optional<? extends HasMetadata> existing);

    void delete(HasMetadata existing);
  }

  private final Store store;

  public ConsumerAccess(Store store) {
    this.store = store;
  }

  public static String name(String credential) {
    return credential + "-reader";
  }

  /**
   * @param serviceAccounts the consumers' service account names; empty or {@code grant} false
   *     removes what the operator wrote
   * @return a problem to report, when an object of that name is not the credential's
   */
  public Optional<String> apply(ReloadlyCredential credential, boolean grant, String target,
      List<String> serviceAccounts) {
    String namespace = credential.getMetadata().getNamespace();
    String name = name(credential.getMetadata().getName());
    Optional<Role> role = store.role(namespace, name);
    Optional<RoleBinding> binding = store.binding(namespace, name);
    String uid = credential.getMetadata().getUid();
    if ((role.isPresent() && !owned(role.get(), uid))
        || (binding.isPresent() && !owned(binding.get(), uid))) {
      return Optional.of("Role or RoleBinding " + name + " exists and is not this credential's;"
          + " consumers.grantAccess left it alone");
    }
    if (!grant || serviceAccounts.isEmpty()) {
      binding.ifPresent(store::delete);
      role.ifPresent(store::delete);
      return Optional.empty();
    }
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(credential.getApiVersion())
        .withKind(credential.getKind()).withName(credential.getMetadata().getName())
        .withUid(uid).withController(true).withBlockOwnerDeletion(true).build();
    Role wantRole = new RoleBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .addToLabels(ApiLabels.CREDENTIAL, credential.getMetadata().getName())
        .withOwnerReferences(owner).endMetadata()
        .addNewRule().withApiGroups("").withResources("secrets").withResourceNames(target)
        .withVerbs("get").endRule().build();
    List<Subject> subjects = serviceAccounts.stream().distinct().sorted()
        .map(sa -> new SubjectBuilder().withKind("ServiceAccount").withName(sa)
            .withNamespace(namespace).build()).toList();
    RoleBinding wantBinding = new RoleBindingBuilder().withNewMetadata().withName(name)
        .withNamespace(namespace).addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE)
        .addToLabels(ApiLabels.CREDENTIAL, credential.getMetadata().getName())
        .withOwnerReferences(owner).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
        .withName(name).endRoleRef().withSubjects(subjects).build();
    if (role.isEmpty() || !Objects.equals(role.get().getRules(), wantRole.getRules())) {
      store.write(wantRole, role);
    }
    if (binding.isEmpty() || !Objects.equals(binding.get().getSubjects(), subjects)) {
      store.write(wantBinding, binding);
    }
    return Optional.empty();
  }

  private static boolean owned(HasMetadata object, String uid) {
    return object.getMetadata().getOwnerReferences() != null && object.getMetadata()
        .getOwnerReferences().stream().anyMatch(o -> Objects.equals(uid, o.getUid()));
  }
}
