package dev.reloadly.operator.testing;

import dev.reloadly.operator.token.MutableClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The main scenarios on the mock API server with the operator in process. The same scenario code
 * runs on a real cluster with the chart installed ({@code -Pe2e}, {@code ChartOnClusterIT}); here
 * the test plays what a cluster's controllers would do.
 */
class MainScenariosTest {
  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private OperatorHarness harness;
  private MainScenarios scenarios;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(clock);
    harness.simulator().allowCredential(MainScenarios.CLIENT_ID, MainScenarios.SECRET_1);
    harness.start();
    scenarios = new MainScenarios(new MockCluster());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void sealedCredentialBecomesReady() {
    scenarios.sealedCredentialBecomesReady("e2e-sealed");
  }

  @Test
  void rotationRollsTheConsumerOnceAndComplianceIsReported() {
    scenarios.rotationRollsTheConsumerOnce("e2e-rotation");
    scenarios.complianceIsReported("e2e-rotation");
  }

  @Test
  void egressPolicyIsApplied() {
    scenarios.egressPolicyIsApplied("e2e-egress");
  }

  private final class MockCluster implements MainScenarios.Cluster {
    @Override
    public KubernetesClient client() {
      return harness.client();
    }

    @Override
    public String operatorNamespace() {
      return OperatorHarness.OPERATOR_NAMESPACE;
    }

    @Override
    public Duration timeout() {
      return Duration.ofSeconds(30);
    }

    @Override
    public void rolledOut(String namespace, String deployment) {
      Workloads.healthy(harness.client(), "Deployment", namespace, deployment);
    }

    @Override
    public Map.Entry<String, String> natNode() {
      NatNodes.create(harness.client(), "nat-1", "10.0.0.5", MainScenarios.STABLE_IP);
      return Map.entry("nat-1", "10.0.0.5");
    }

    @Override
    public void issuedInPortal(String clientId, String clientSecret) {
      harness.simulator().rotateCredential(clientId, clientSecret);
    }
  }
}
