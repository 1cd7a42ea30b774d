package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ComplianceCheckStatus;
import dev.reloadly.operator.api.v1alpha1.ComplianceStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.testing.CredentialFixtures;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportCommandTest {
  EmbeddedApiServer server;
  KubernetesClient client;

  @BeforeEach
  void cluster() {
    server = EmbeddedApiServer.start();
    client = server.newClient();
    server.installCrd(client);
    ReloadlyCredential reported = CredentialFixtures.secretRefCredential("shop", "src",
        TargetMode.TOKEN);
    client.resource(reported).create();
    ReloadlyCredentialStatus status = new ReloadlyCredentialStatus();
    ComplianceStatus compliance = new ComplianceStatus();
    compliance.setScore("1/2");
    compliance.setChecks(List.of(
        new ComplianceCheckStatus("C3", "PortalTwoFactor", "Fail", "not attested", "t"),
        new ComplianceCheckStatus("C1", "OwnerEmailDomain", "Pass", "on example.com", "t")));
    status.setCompliance(compliance);
    status.setConditions(new java.util.ArrayList<>(List.of(new ConditionBuilder()
        .withType("Compliant").withStatus("False").withReason("ChecksFail").build())));
    ReloadlyCredential withStatus = client.resources(ReloadlyCredential.class)
        .inNamespace("payments").withName("shop").get();
    withStatus.setStatus(status);
    client.resource(withStatus).updateStatus();
    client.resource(CredentialFixtures.secretRefCredential("fresh", "src", TargetMode.TOKEN))
        .create();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aTableOfEachCheckAndScore() {
    CliRun.Result result = CliRun.run(new ReportCommand(server::newClient), "report", "-n",
        "payments");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("PortalTwoFactor").contains("Fail")
        .contains("1/2 (Compliant=False)").contains("fresh").contains("not reported yet");
  }

  @Test
  void jsonAndYamlCarryTheSameContent() {
    CliRun.Result json = CliRun.run(new ReportCommand(server::newClient), "report", "-A", "-o",
        "json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).contains("\"score\":\"1/2\"").contains("\"name\":\"PortalTwoFactor\"");
    CliRun.Result yaml = CliRun.run(new ReportCommand(server::newClient), "report", "-A", "-o",
        "yaml");
    assertThat(yaml.out()).contains("score: \"1/2\"").contains("compliant: \"False\"");
  }

  @Test
  void aNamespaceOrAllNamespacesAndAKnownFormat() {
    CliRun.Result both = CliRun.run(new ReportCommand(server::newClient), "report", "-A", "-n",
        "payments");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("not both");
    CliRun.Result bad = CliRun.run(new ReportCommand(server::newClient), "report", "-A", "-o",
        "xml");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("'xml'", "table, json, yaml");
  }
}
