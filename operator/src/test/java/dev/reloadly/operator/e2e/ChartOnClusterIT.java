package dev.reloadly.operator.e2e;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.testing.MainScenarios;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The main scenarios on a real cluster (the current kubeconfig's: kind, minikube, k3d; a
 * throwaway one). Installs the chart with the image named by {@code -De2e.image} and a test-only
 * Reloadly simulator sidecar, then runs {@link MainScenarios}, the code the default build runs
 * on the mock server. Only with {@code ./mvnw -B -Pe2e verify -De2e.image=...}.
 */
@EnabledIfSystemProperty(named = "e2e.image", matches = ".+",
    disabledReason = "end to end needs -De2e.image=REGISTRY/IMAGE:TAG, loaded into the cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartOnClusterIT {
  static final String OPERATOR_NAMESPACE = "reloadly-e2e-system";
  static final String RELEASE = "reloadly-e2e";
  static final String NAT_LABEL = "security.reloadly.dev/nat-node";
  static final Duration TIMEOUT = Duration.ofMinutes(3);
  static final List<String> NAMESPACES = List.of("reloadly-e2e-sealed", "reloadly-e2e-rotation",
      "reloadly-e2e-egress");

  static KubernetesClient client;
  static MainScenarios scenarios;
  static String natNode;

  @BeforeAll
  static void install() throws Exception {
    client = new KubernetesClientBuilder().build();
    String image = System.getProperty("e2e.image");
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > image.lastIndexOf('/');
    Path values = Files.createTempFile("e2e-values", ".yaml");
    Files.writeString(values, """
        image:
          repository: %s
          tag: "%s"
          pullPolicy: IfNotPresent
        testing:
          reloadlySimulator:
            enabled: true
            accept:
              - "%s=%s"
              - "%s=%s"
        """.formatted(tagged ? image.substring(0, colon) : image,
        tagged ? image.substring(colon + 1) : "latest",
        MainScenarios.CLIENT_ID, MainScenarios.SECRET_1,
        MainScenarios.CLIENT_ID, MainScenarios.SECRET_2));
    new Helm(Path.of(System.getProperty("project.root", ".."), "charts",
        "reloadly-credential-operator"))
        .install().withName(RELEASE).withNamespace(OPERATOR_NAMESPACE).createNamespace()
        .withValuesFile(values).waitReady().withTimeout((int) TIMEOUT.toSeconds())
        .withKubeConfig(kubeconfig()).call();
    scenarios = new MainScenarios(new RealCluster());
  }

  private static Path kubeconfig() {
    String env = System.getenv("KUBECONFIG");
    return env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
        : Path.of(System.getProperty("user.home"), ".kube", "config");
  }

  @AfterAll
  static void uninstall() {
    if (client == null) {
      return;
    }
    NAMESPACES.forEach(ns -> client.namespaces().withName(ns).delete());
    if (natNode != null) {
      client.nodes().withName(natNode).edit(n -> {
        n.getMetadata().getLabels().remove(NAT_LABEL);
        n.getMetadata().getAnnotations().remove(ApiLabels.EGRESS_IP);
        return n;
      });
    }
    try {
      Helm.uninstall(RELEASE).withNamespace(OPERATOR_NAMESPACE).withKubeConfig(kubeconfig())
          .call();
    } finally {
      client.namespaces().withName(OPERATOR_NAMESPACE).delete();
      client.close();
    }
  }

  @Test
  @Order(1)
  void sealedCredentialBecomesReady() {
    scenarios.sealedCredentialBecomesReady(NAMESPACES.get(0));
  }

  @Test
  @Order(2)
  void rotationRollsTheConsumerOnceAndComplianceIsReported() {
    scenarios.rotationRollsTheConsumerOnce(NAMESPACES.get(1));
    scenarios.complianceIsReported(NAMESPACES.get(1));
  }

  @Test
  @Order(3)
  void egressPolicyIsApplied() {
    scenarios.egressPolicyIsApplied(NAMESPACES.get(2));
  }

  /** A real cluster: its controllers roll Deployments; one of its nodes plays the NAT node. */
  private static final class RealCluster implements MainScenarios.Cluster {
    @Override
    public KubernetesClient client() {
      return client;
    }

    @Override
    public String operatorNamespace() {
      return OPERATOR_NAMESPACE;
    }

    @Override
    public Duration timeout() {
      return TIMEOUT;
    }

    @Override
    public void rolledOut(String namespace, String deployment) {
      await().atMost(TIMEOUT).until(() -> {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment)
            .get();
        return d.getStatus() != null && d.getStatus().getObservedGeneration() != null
            && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
            && d.getSpec().getReplicas().equals(d.getStatus().getUpdatedReplicas())
            && d.getSpec().getReplicas().equals(d.getStatus().getAvailableReplicas());
      });
    }

    @Override
    public Map.Entry<String, String> natNode() {
      Node node = client.nodes().list().getItems().get(0);
      natNode = node.getMetadata().getName();
      client.nodes().withName(natNode).edit(n -> {
        n.getMetadata().getLabels().put(NAT_LABEL, "true");
        if (n.getMetadata().getAnnotations() == null) {
          n.getMetadata().setAnnotations(new java.util.HashMap<>());
        }
        n.getMetadata().getAnnotations().put(ApiLabels.EGRESS_IP, MainScenarios.STABLE_IP);
        return n;
      });
      String internal = node.getStatus().getAddresses().stream()
          .filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress)
          .findFirst().orElseThrow(() -> new IllegalStateException(natNode
              + " has no InternalIP"));
      return Map.entry(natNode, internal);
    }

    @Override
    public void issuedInPortal(String clientId, String clientSecret) {
      // The sidecar accepts both of the scenario's secrets from the start.
    }
  }
}
