package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ComplianceCheckStatus;
import dev.reloadly.operator.api.v1alpha1.ComplianceStatus;
import dev.reloadly.operator.api.v1alpha1.ConsumerStatus;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.IncidentStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.testing.CredentialFixtures;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What `status` prints for the status the operator wrote; relative times from a fixed clock. */
class StatusCommandTest {
  static final String FINGERPRINT = "hmac-sha256:0123456789abcdef0123456789abcdef";
  static final String OLD = "hmac-sha256:fedcba9876543210fedcba9876543210";

  EmbeddedApiServer server;
  KubernetesClient client;
  Instant now;

  @BeforeEach
  void cluster() {
    server = EmbeddedApiServer.start();
    client = server.newClient();
    server.installCrd(client);
    client.resource(CredentialFixtures.secretRefCredential("shop", "src", TargetMode.TOKEN))
        .create();
    ReloadlyCredential shop = client.resources(ReloadlyCredential.class).inNamespace("payments")
        .withName("shop").get();
    now = Instant.parse(shop.getMetadata().getCreationTimestamp()).plus(Duration.ofDays(3));
    shop.setStatus(status());
    client.resource(shop).updateStatus();
    client.resource(CredentialFixtures.secretRefCredential("fresh", "src", TargetMode.TOKEN))
        .create();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private ReloadlyCredentialStatus status() {
    ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();
    status.setObservedGeneration(1L);
    status.setConditions(new ArrayList<>(List.of(
        new ConditionBuilder().withType("Ready").withStatus("True").withReason("Reconciled")
            .withMessage("target Secret shop-reloadly serves the version")
            .withLastTransitionTime(now.minus(Duration.ofHours(5)).toString()).build(),
        new ConditionBuilder().withType("Compliant").withStatus("False")
            .withReason("ChecksFail").withMessage("failing: PortalTwoFactor (C3)")
            .withLastTransitionTime(now.minus(Duration.ofHours(5)).toString()).build())));
    status.setTargetSecretName("shop-reloadly");
    CredentialVersionStatus current = new CredentialVersionStatus();
    current.setFingerprint(FINGERPRINT);
    current.setState("current");
    current.setCreatedAt(now.minus(Duration.ofDays(2)).toString());
    CredentialVersionStatus previous = new CredentialVersionStatus();
    previous.setFingerprint(OLD);
    previous.setState("compromised");
    status.setVersions(new ArrayList<>(List.of(current, previous)));
    status.setNextRotationAt(now.plus(Duration.ofDays(76)).toString());
    status.setTokenExpiresAt(now.plus(Duration.ofHours(23)).toString());
    ConsumerStatus consumer = new ConsumerStatus();
    consumer.setKind("Deployment");
    consumer.setName("checkout");
    consumer.setReads("file");
    consumer.setDeclared(true);
    status.setConsumers(new ArrayList<>(List.of(consumer)));
    ComplianceStatus compliance = new ComplianceStatus();
    compliance.setScore("1/2");
    compliance.setChecks(List.of(
        new ComplianceCheckStatus("C3", "PortalTwoFactor", "Fail", "not attested", "t")));
    status.setCompliance(compliance);
    IncidentStatus incident = new IncidentStatus();
    incident.setReason("printed in a CI log");
    incident.setFingerprint(OLD);
    incident.setReportedAt(now.minus(Duration.ofDays(2)).toString());
    status.setIncidents(new ArrayList<>(List.of(incident)));
    return status;
  }

  private CliRun.Result status(String... args) {
    List<String> all = new ArrayList<>(List.of("status"));
    all.addAll(List.of(args));
    return CliRun.run(new StatusCommand(server::newClient, Clock.fixed(now, ZoneOffset.UTC)),
        all.toArray(String[]::new));
  }

  @Test
  void aLinePerCredentialWithRelativeTimes() {
    CliRun.Result result = status("-n", "payments");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines().map(l -> List.of(l.split("\\s{3,}")))).containsExactly(
        List.of("NAME", "READY", "REASON", "VERSION", "NEXT ROTATION", "TOKEN EXPIRES",
            "CONSUMERS", "COMPLIANT", "AGE"),
        List.of("fresh", "Unknown", "NotObservedYet", "<none>", "<none>", "<none>", "0",
            "<none>", result.out().lines().toList().get(1).replaceAll(".*\\s", "")),
        List.of("shop", "True", "Reconciled", "0123456789ab", "in 76d", "in 23h", "1", "False",
            "3d"));
  }

  @Test
  void allNamespacesAddsTheNamespaceColumn() {
    CliRun.Result result = status("-A");
    assertThat(result.out().lines().findFirst().orElseThrow()).startsWith("NAMESPACE   NAME");
    assertThat(result.out()).containsPattern("payments\\s+shop\\s+True");
    assertThat(status("-A", "shop").exitCode()).isEqualTo(2);
    assertThat(status("-n", "empty").out()).contains("No ReloadlyCredentials found in namespace"
        + " empty.");
  }

  @Test
  void oneCredentialSectionBySection() {
    CliRun.Result result = status("shop", "-n", "payments");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern("Ready:\\s+True \\(Reconciled\\) target Secret shop-reloadly serves")
        .containsPattern("Current version:\\s+0123456789ab\n")
        .containsPattern("Token expires:\\s+" + now.plus(Duration.ofHours(23)) + " \\(in 23h\\)")
        .containsPattern("Compliance:\\s+1/2 checks pass")
        .containsPattern("Ready\\s+True\\s+Reconciled\\s+5h ago")
        .containsPattern("fedcba987654\\s+compromised")
        .containsPattern("Deployment\\s+checkout\\s+file\\s+true")
        .containsPattern("C3\\s+PortalTwoFactor\\s+Fail\\s+not attested")
        .containsPattern("2d ago\\s+fedcba987654\\s+<none>\\s+<none>\\s+printed in a CI log")
        .contains("Rollout: <none>", "Egress: <none>");
  }

  @Test
  void notObservedYetIsSaid() {
    CliRun.Result result = status("fresh", "-n", "payments");
    assertThat(result.out()).containsPattern("Ready:\\s+Unknown: no status yet")
        .containsPattern("Observed:\\s+the operator has not reconciled generation 1 of the spec"
            + " yet\n");
  }

  @Test
  void missingCredentialIsExitOne() {
    CliRun.Result result = status("nope", "-n", "payments");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip()).isEqualTo("error: ReloadlyCredential payments/nope not found");
  }
}
