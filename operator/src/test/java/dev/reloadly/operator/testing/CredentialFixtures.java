package dev.reloadly.operator.testing;

import dev.reloadly.operator.api.v1alpha1.Attestations;
import dev.reloadly.operator.api.v1alpha1.ComplianceSpec;
import dev.reloadly.operator.api.v1alpha1.CredentialSource;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.api.v1alpha1.Owner;
import dev.reloadly.operator.api.v1alpha1.Product;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.api.v1alpha1.SealedSource;
import dev.reloadly.operator.api.v1alpha1.SecretRefSource;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.api.v1alpha1.TargetSpec;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKey;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;

/** Builders for the objects tests need; no copy-pasted YAML. */
public final class CredentialFixtures {
  public static final String NAMESPACE = "payments";

  private CredentialFixtures() {}

  /** A sandbox airtime credential reading from Secret {@code sourceSecret}. */
  public static ReloadlyCredential secretRefCredential(String name, String sourceSecret,
      TargetMode mode) {
    CredentialSource source = new CredentialSource();
    source.setSecretRef(new SecretRefSource(sourceSecret));
    return credential(name, source, mode);
  }

  public static ReloadlyCredential sealedCredential(String name, String sealedId,
      String sealedSecret, TargetMode mode) {
    CredentialSource source = new CredentialSource();
    source.setSealed(new SealedSource(sealedId, sealedSecret));
    return credential(name, source, mode);
  }

  public static ReloadlyCredential credential(String name, CredentialSource source,
      TargetMode mode) {
    ReloadlyCredentialSpec spec = new ReloadlyCredentialSpec();
    spec.setEnvironment(Environment.SANDBOX);
    spec.setProduct(Product.AIRTIME);
    spec.setOwner(new Owner("payments", "payments-team@example.com"));
    spec.setSource(source);
    spec.setTarget(new TargetSpec(null, mode));
    ReloadlyCredential credential = new ReloadlyCredential();
    credential.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    credential.setSpec(spec);
    return credential;
  }

  /**
   * Attests two-factor login on the portal and a portal password changed on
   * {@code passwordRotatedAt}, so the attestation checks pass (docs/compliance.md, C2 and C3).
   */
  public static ReloadlyCredential attested(ReloadlyCredential credential,
      LocalDate passwordRotatedAt) {
    Attestations attestations = new Attestations();
    attestations.setPortalTwoFactor(true);
    attestations.setPortalPasswordRotatedAt(passwordRotatedAt.toString());
    ComplianceSpec compliance = new ComplianceSpec();
    compliance.setAttestations(attestations);
    credential.getSpec().setCompliance(compliance);
    return credential;
  }

  public static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  public static String unb64(String value) {
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  /** Seals a value for a credential with the operator's published public key. */
  public static String seal(KubernetesClient client, String name, String field, String value) {
    String document = client.configMaps().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.CONFIG_MAP).get().getData().get(OperatorKeyStore.PUBLIC_KEYS);
    SealingKey key = SealingKeyRing.parsePublicDocument(document).newest();
    SealingScope scope = field.equals(SealingScope.CLIENT_ID)
        ? SealingScope.clientId(NAMESPACE, name) : SealingScope.clientSecret(NAMESPACE, name);
    return new Sealer().seal(value.getBytes(StandardCharsets.UTF_8), scope, key);
  }

  /** A source Secret with the default keys, unlabelled as a user would create it. */
  public static Secret sourceSecret(String name, String clientId, String clientSecret) {
    return new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        // data, not stringData: the test API server does not convert stringData as a real one does.
        .withData(Map.of("client_id", b64(clientId), "client_secret", b64(clientSecret)))
        .build();
  }

  /** Declares {@code kind/name} a consumer of {@code credential} (spec.consumers.workloads). */
  public static ReloadlyCredential withConsumer(ReloadlyCredential credential,
      dev.reloadly.operator.api.v1alpha1.WorkloadKind kind, String name) {
    dev.reloadly.operator.api.v1alpha1.Consumers consumers =
        java.util.Optional.ofNullable(credential.getSpec().getConsumers())
            .orElseGet(dev.reloadly.operator.api.v1alpha1.Consumers::new);
    dev.reloadly.operator.api.v1alpha1.WorkloadRef ref =
        new dev.reloadly.operator.api.v1alpha1.WorkloadRef();
    ref.setKind(kind);
    ref.setName(name);
    java.util.List<dev.reloadly.operator.api.v1alpha1.WorkloadRef> refs =
        new java.util.ArrayList<>(consumers.getWorkloads() == null ? java.util.List.of()
            : consumers.getWorkloads());
    refs.add(ref);
    consumers.setWorkloads(refs);
    credential.getSpec().setConsumers(consumers);
    return credential;
  }
}
