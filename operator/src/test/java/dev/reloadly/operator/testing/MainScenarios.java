package dev.reloadly.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKey;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The main scenarios, written once against a {@link Cluster}: the mock API server with the
 * operator in process ({@code MainScenariosTest}, in the default build), or a real cluster with
 * the chart installed ({@code e2e.ChartOnClusterIT}, profile {@code -Pe2e}). What only one of
 * them can do (play a Deployment's controller, find a NAT node) is behind the interface.
 */
public final class MainScenarios {
  /** A client ID and the two client secrets the Reloadly endpoint of the cluster accepts. */
  public static final String CLIENT_ID = "e2e-client-id";
  public static final String SECRET_1 = "e2e-client-secret-1";
  public static final String SECRET_2 = "e2e-client-secret-2";
  /** A TEST-NET-3 address (RFC 5737) standing for the NAT node's stable IP. */
  public static final String STABLE_IP = "203.0.113.10";

  /** Where the scenarios run. */
  public interface Cluster {
    KubernetesClient client();

    String operatorNamespace();

    /** How long a step may take: seconds on the mock server, minutes on a real cluster. */
    Duration timeout();

    /** After the operator restarted it: make the Deployment healthy (a real cluster does). */
    void rolledOut(String namespace, String deployment);

    /**
     * A Node that is ready, labelled as a NAT node and annotated with {@link #STABLE_IP}; returns
     * its name and internal IP.
     */
    Map.Entry<String, String> natNode();

    /**
     * A new client secret was issued for the client ID in the Reloadly portal: the endpoint the
     * operator asks accepts it from now on (a simulator is told; a real test endpoint accepts
     * {@link #SECRET_2} already).
     */
    void issuedInPortal(String clientId, String clientSecret);

    /** The image of the consumer Deployment: one whose pods start on the cluster. */
    default String consumerImage() {
      return "registry.k8s.io/pause:3.10";
    }
  }

  private final Cluster cluster;
  private final KubernetesClient client;

  public MainScenarios(Cluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
  }

  /** A namespace for one scenario: created if missing. */
  public void namespace(String namespace) {
    if (client.namespaces().withName(namespace).get() == null) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
          .build()).create();
    }
  }

  /** Values sealed in Git only: the credential is Ready and its target holds a token. */
  public void sealedCredentialBecomesReady(String namespace) {
    namespace(namespace);
    ConfigMap published = await().atMost(cluster.timeout()).until(() -> client.configMaps()
        .inNamespace(cluster.operatorNamespace()).withName(OperatorKeyStore.CONFIG_MAP).get(),
        cm -> cm != null && cm.getData() != null);
    SealingKey key = SealingKeyRing.parsePublicDocument(
        published.getData().get(OperatorKeyStore.PUBLIC_KEYS)).newest();
    Sealer sealer = new Sealer();
    String sealedId = sealer.seal(bytes(CLIENT_ID), SealingScope.clientId(namespace, "sealed"),
        key);
    String sealedSecret = sealer.seal(bytes(SECRET_1),
        SealingScope.clientSecret(namespace, "sealed"), key);
    create(namespace, """
        apiVersion: security.reloadly.dev/v1alpha1
        kind: ReloadlyCredential
        metadata: {name: sealed}
        spec:
          environment: sandbox
          product: airtime
          owner: {team: payments, email: payments-team@example.com}
          source:
            sealed: {clientId: "%s", clientSecret: "%s"}
          target: {secretName: sealed-reloadly, mode: token}
        """.formatted(sealedId, sealedSecret));
    awaitCondition(namespace, "sealed", Conditions.READY, Conditions.TRUE);
    Secret target = client.secrets().inNamespace(namespace).withName("sealed-reloadly").get();
    assertThat(target.getData()).containsKey("access_token")
        .as("token mode: the app never sees the client secret")
        .doesNotContainKey("client_secret");
  }

  /**
   * A new client secret in the source: tested, served, the consumer Deployment restarted once
   * for it and seen healthy.
   */
  public void rotationRollsTheConsumerOnce(String namespace) {
    namespace(namespace);
    client.resource(source(namespace, SECRET_1)).create();
    consumer(namespace, "checkout",
        "volumeMounts: [{name: reloadly, mountPath: /var/run/reloadly, readOnly: true}]",
        "volumes: [{name: reloadly, secret: {secretName: rotating-reloadly}}]");
    create(namespace, """
        apiVersion: security.reloadly.dev/v1alpha1
        kind: ReloadlyCredential
        metadata: {name: rotating}
        spec:
          environment: sandbox
          product: airtime
          owner: {team: payments, email: payments-team@example.com}
          source:
            secretRef: {name: rotating-source}
          target: {secretName: rotating-reloadly, mode: both}
          rotation: {gracePeriod: 0s}
          consumers:
            workloads: [{kind: Deployment, name: checkout}]
            strategy: restart
            delay: 0s
            timeout: 5m
        """);
    awaitCondition(namespace, "rotating", Conditions.READY, Conditions.TRUE);
    String first = served(namespace, "rotating-reloadly");
    cluster.rolledOut(namespace, "checkout");
    long generation = deployment(namespace).getMetadata().getGeneration();

    cluster.issuedInPortal(CLIENT_ID, SECRET_2);
    client.resource(source(namespace, SECRET_2)).update();
    String second = await().atMost(cluster.timeout())
        .until(() -> served(namespace, "rotating-reloadly"), v -> v != null && !v.equals(first));
    await().atMost(cluster.timeout()).until(() -> second.equals(restartedFor(namespace)));
    cluster.rolledOut(namespace, "checkout");
    await().atMost(cluster.timeout()).untilAsserted(() -> assertThat(
        condition(namespace, "rotating", Conditions.ROLLOUT_COMPLETE))
        .hasValueSatisfying(c -> assertThat(c.getReason()).as(c.getMessage())
            .isEqualTo(Conditions.ROLLED_OUT)));
    assertThat(deployment(namespace).getMetadata().getGeneration())
        .as("restarted exactly once: one pod-template change").isEqualTo(generation + 1);
  }

  /** spec.egress: the consumer's NetworkPolicy lets it out only through the NAT node. */
  public void egressPolicyIsApplied(String namespace) {
    namespace(namespace);
    Map.Entry<String, String> nat = cluster.natNode();
    client.resource(new SecretBuilder(source(namespace, SECRET_1)).editMetadata()
        .withName("egress-source").endMetadata().build()).create();
    consumer(namespace, "payouts", "env: [{name: RELOADLY_TOKEN, valueFrom: {secretKeyRef:"
        + " {name: egress-reloadly, key: access_token}}}]", "");
    create(namespace, """
        apiVersion: security.reloadly.dev/v1alpha1
        kind: ReloadlyCredential
        metadata: {name: egress}
        spec:
          environment: sandbox
          product: airtime
          owner: {team: payments, email: payments-team@example.com}
          source:
            secretRef: {name: egress-source}
          target: {secretName: egress-reloadly, mode: token}
          consumers:
            workloads: [{kind: Deployment, name: payouts}]
          egress:
            allowlistedIPs: ["%s/32"]
        """.formatted(STABLE_IP));
    awaitCondition(namespace, "egress", Conditions.EGRESS_ALLOWLISTED, Conditions.TRUE);
    await().atMost(cluster.timeout()).untilAsserted(() -> {
      List<NetworkPolicy> policies = client.network().v1().networkPolicies()
          .inNamespace(namespace).list().getItems();
      assertThat(policies).anySatisfy(p -> {
        assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("app", "payouts");
        assertThat(p.getSpec().getPolicyTypes()).contains("Egress");
        assertThat(p.getSpec().getEgress()).anySatisfy(rule -> assertThat(rule.getTo())
            .anySatisfy(peer -> assertThat(peer.getIpBlock()).isNotNull()
                .satisfies(block -> assertThat(block.getCidr()).isEqualTo(nat.getValue() + "/32"))));
      });
    });
  }

  /** Every credential reports its checks against Reloadly's guidelines on itself. */
  public void complianceIsReported(String namespace) {
    await().atMost(cluster.timeout()).untilAsserted(() -> {
      ReloadlyCredential credential = credential(namespace, "rotating");
      assertThat(credential.getStatus().getCompliance().getChecks())
          .extracting(c -> c.getName())
          .contains("RotationWithinMaxAge", "EncryptedAtRest", "DependenciesScanned");
      assertThat(condition(namespace, "rotating", Conditions.COMPLIANT)).isPresent();
    });
  }

  /**
   * A two-replica Deployment {@code name} whose container reads the credential as
   * {@code reads} says (flow-style YAML of the container), with {@code volumes} (of the pod).
   */
  private void consumer(String namespace, String name, String reads, String volumes) {
    create(namespace, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, labels: {app: %1$s}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers: [{name: app, image: "%2$s", %3$s}]
              %4$s
        """.formatted(name, cluster.consumerImage(), reads, volumes));
  }

  private void create(String namespace, String yaml) {
    Object item = Serialization.unmarshal(yaml);
    if (item instanceof io.fabric8.kubernetes.api.model.HasMetadata object) {
      object.getMetadata().setNamespace(namespace);
      client.resource(object).create();
    } else {
      throw new IllegalArgumentException("not a Kubernetes object: " + yaml);
    }
  }

  private static Secret source(String namespace, String clientSecret) {
    return new SecretBuilder().withNewMetadata().withName("rotating-source")
        .withNamespace(namespace).endMetadata()
        .withData(Map.of("client_id", b64(CLIENT_ID), "client_secret", b64(clientSecret)))
        .build();
  }

  private ReloadlyCredential credential(String namespace, String name) {
    return client.resources(ReloadlyCredential.class).inNamespace(namespace).withName(name).get();
  }

  private Optional<io.fabric8.kubernetes.api.model.Condition> condition(String namespace,
      String name, String type) {
    ReloadlyCredential c = credential(namespace, name);
    return c == null || c.getStatus() == null ? Optional.empty()
        : Conditions.find(c.getStatus().getConditions(), type);
  }

  private void awaitCondition(String namespace, String name, String type, String status) {
    await().atMost(cluster.timeout()).untilAsserted(() -> assertThat(
        condition(namespace, name, type)).as(type + " of " + namespace + "/" + name)
        .hasValueSatisfying(c -> assertThat(c.getStatus()).as(c.getMessage())
            .isEqualTo(status)));
  }

  private String served(String namespace, String target) {
    Secret secret = client.secrets().inNamespace(namespace).withName(target).get();
    return secret == null || secret.getMetadata().getAnnotations() == null ? null
        : secret.getMetadata().getAnnotations().get(ApiLabels.VERSION);
  }

  private Deployment deployment(String namespace) {
    return client.apps().deployments().inNamespace(namespace).withName("checkout").get();
  }

  private String restartedFor(String namespace) {
    Map<String, String> annotations = deployment(namespace).getSpec().getTemplate()
        .getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ApiLabels.RESTARTED_FOR);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(bytes(s));
  }
}
