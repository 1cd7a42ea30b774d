package dev.reloadly.operator.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.testing.CredentialFixtures;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsumerAccessTest {
  private final Map<String, HasMetadata> objects = new HashMap<>();
  private final ConsumerAccess access = new ConsumerAccess(new ConsumerAccess.Store() {
    @Override
    public Optional<Role> role(String namespace, String name) {
      return Optional.ofNullable((Role) objects.get("Role/" + name));
    }

    @Override
    public Optional<RoleBinding> binding(String namespace, String name) {
      return Optional.ofNullable((RoleBinding) objects.get("RoleBinding/" + name));
    }

    @Override
    public void write(HasMetadata desired, Optional<? extends HasMetadata> existing) {
      objects.put(desired.getKind() + "/" + desired.getMetadata().getName(), desired);
    }

    @Override
    public void delete(HasMetadata existing) {
      objects.remove(existing.getKind() + "/" + existing.getMetadata().getName());
    }
  });

  private static ReloadlyCredential credential() {
    ReloadlyCredential c = CredentialFixtures.secretRefCredential("shop", "src", TargetMode.TOKEN);
    c.getMetadata().setUid("uid-1");
    return c;
  }

  @Test
  void aRoleForTheTargetOnlyAndABindingToTheConsumersAccountsThenRemoved() {
    assertThat(access.apply(credential(), true, "shop-reloadly", List.of("api", "worker", "api")))
        .isEmpty();
    Role role = (Role) objects.get("Role/shop-reader");
    assertThat(role.getRules()).singleElement().satisfies(r -> {
      assertThat(r.getResourceNames()).containsExactly("shop-reloadly");
      assertThat(r.getVerbs()).containsExactly("get");
      assertThat(r.getResources()).containsExactly("secrets");
    });
    RoleBinding binding = (RoleBinding) objects.get("RoleBinding/shop-reader");
    assertThat(binding.getSubjects()).extracting(Subject::getName)
        .containsExactly("api", "worker");
    assertThat(binding.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));

    assertThat(access.apply(credential(), false, "shop-reloadly", List.of("api"))).isEmpty();
    assertThat(objects).isEmpty();
  }

  @Test
  void aBindingOfThatNameThatIsNotOursIsLeftAlone() {
    objects.put("RoleBinding/shop-reader", new RoleBindingBuilder().withNewMetadata()
        .withName("shop-reader").withNamespace("payments").endMetadata().build());
    assertThat(access.apply(credential(), true, "shop-reloadly", List.of("api")))
        .hasValueSatisfying(p -> assertThat(p).contains("not this credential's"));
    assertThat(objects).containsOnlyKeys("RoleBinding/shop-reader");
  }
}
