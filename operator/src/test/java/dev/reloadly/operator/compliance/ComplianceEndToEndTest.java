package dev.reloadly.operator.compliance;

import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.Attestations;
import dev.reloadly.operator.api.v1alpha1.ComplianceCheckStatus;
import dev.reloadly.operator.api.v1alpha1.ComplianceSpec;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.testing.CredentialSteps;
import dev.reloadly.operator.testing.OperatorHarness;
import dev.reloadly.operator.token.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Compliant condition and status.compliance on a running operator, on a moved clock. */
class ComplianceEndToEndTest {
  static final String ID = "client-7";
  static final Duration WAIT = Duration.ofSeconds(30);

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12)));
  private final OperatorHarness harness = new OperatorHarness(clock);
  private final CredentialSteps steps = new CredentialSteps(harness, "shop", "src", ID, WAIT);

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void anAttestationThatAgesPastNinetyDaysFlipsCompliantAndTheRestKeepTheirSince() {
    harness.simulator().allowCredential(ID, "secret-1");
    harness.start();
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    ComplianceSpec compliance = new ComplianceSpec();
    Attestations attestations = new Attestations();
    attestations.setPortalTwoFactor(true);
    LocalDate changed = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(80);
    attestations.setPortalPasswordRotatedAt(changed.toString());
    compliance.setAttestations(attestations);
    credential.getSpec().setCompliance(compliance);
    harness.client().resource(credential).create();
    steps.awaitServedVersion();

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(steps.reason(Conditions.COMPLIANT)).isEqualTo(Conditions.CHECKS_PASS));
    String since = check("OwnerEmailDomain").getSince();

    clock.advance(Duration.ofDays(11));
    harness.awaitReconcileAfter(steps.touchSource());
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.COMPLIANT)).isEqualTo(Conditions.CHECKS_FAIL);
      assertThat(check("PortalPasswordRotated").getResult()).isEqualTo("Fail");
    });
    assertThat(harness.condition("shop", Conditions.COMPLIANT).orElseThrow().getMessage())
        .contains("PortalPasswordRotated (C2)");
    assertThat(check("OwnerEmailDomain").getSince()).as("unchanged results keep their since")
        .isEqualTo(since);
    assertThat(check("PortalPasswordRotated").getSince()).isEqualTo(clock.instant().toString());

    // Flipping back and forth within ten minutes records no more Events than the first one.
    for (String date : new String[] {LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
        .toString(), changed.toString()}) {
      harness.client().resources(ReloadlyCredential.class).inNamespace("payments")
          .withName("shop").edit(c -> {
            c.getSpec().getCompliance().getAttestations().setPortalPasswordRotatedAt(date);
            return c;
          });
      String expected = date.equals(changed.toString()) ? Conditions.CHECKS_FAIL
          : Conditions.CHECKS_PASS;
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(steps.reason(Conditions.COMPLIANT)).isEqualTo(expected));
    }
    assertThat(harness.client().v1().events().inNamespace("payments").list().getItems())
        .filteredOn(e -> e.getReason().startsWith("Checks")).hasSize(1);

    // The metrics follow: the Fail series replaced the Pass one; the score dropped.
    var registry = harness.runtime().registry();
    assertThat(registry.find("reloadly.compliance.check.result")
        .tags("credential", "shop", "check", "PortalPasswordRotated", "result", "Fail").gauge()
        .value()).isEqualTo(1.0);
    assertThat(registry.find("reloadly.compliance.check.result")
        .tags("credential", "shop", "check", "PortalPasswordRotated", "result", "Pass").gauges())
        .isEmpty();
    assertThat(registry.find("reloadly.compliance.score").tags("credential", "shop").gauge()
        .value()).isBetween(0.1, 0.99);
  }

  @Test
  void aLiveCredentialIsReleasedOnlyOnceNoCheckFailsAndIsNeverWithdrawnForAFindingAfter() {
    harness.simulator().allowCredential(ID, "secret-1");
    harness.start();
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = secretRefCredential("shop", "src", TargetMode.TOKEN);
    credential.getSpec().setEnvironment(dev.reloadly.operator.api.v1alpha1.Environment.LIVE);
    harness.client().resource(credential).create();

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(steps.reason(Conditions.READY)).isEqualTo(Conditions.COMPLIANCE_BLOCKED));
    assertThat(harness.condition("shop", Conditions.READY).orElseThrow().getMessage())
        .contains("PortalTwoFactor (C3)").contains("PortalPasswordRotated (C2)");
    assertThat(harness.secret("shop-reloadly")).as("not released").isNull();

    // The owner attests: released.
    LocalDate changed = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
    harness.client().resources(ReloadlyCredential.class).inNamespace("payments").withName("shop")
        .edit(c -> {
          ComplianceSpec compliance = new ComplianceSpec();
          Attestations attestations = new Attestations();
          attestations.setPortalTwoFactor(true);
          attestations.setPortalPasswordRotatedAt(changed.toString());
          compliance.setAttestations(attestations);
          c.getSpec().setCompliance(compliance);
          return c;
        });
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(steps.reason(Conditions.READY)).isEqualTo(Conditions.RECONCILED);
      assertThat(harness.secret("shop-reloadly")).isNotNull();
    });

    // A later finding is reported, and the released credential keeps serving.
    clock.advance(Duration.ofDays(91));
    harness.awaitReconcileAfter(steps.touchSource());
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(steps.reason(Conditions.COMPLIANT)).isEqualTo(Conditions.CHECKS_FAIL));
    assertThat(harness.secret("shop-reloadly").getData()).containsKey("access_token");
    assertThat(steps.reason(Conditions.READY)).isNotEqualTo(Conditions.COMPLIANCE_BLOCKED);
  }

  @Test
  void aRoleBindingThatLetsSomeoneElseReadTheSecretFailsAccessRestrictedUntilItGoes() {
    harness.simulator().allowCredential(ID, "secret-1");
    harness.start();
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    harness.client().resource(secretRefCredential("shop", "src", TargetMode.TOKEN)).create();
    steps.awaitServedVersion();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(check("AccessRestricted").getResult()).isEqualTo("Pass"));

    harness.client().resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
        .withNewMetadata().withName("read-secrets").withNamespace("payments").endMetadata()
        .addNewRule().withApiGroups("").withResources("secrets").withVerbs("get", "list")
        .endRule().build()).create();
    harness.client().resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
        .withNewMetadata().withName("mallory").withNamespace("payments").endMetadata()
        .withNewRoleRef().withKind("Role").withName("read-secrets")
        .withApiGroup("rbac.authorization.k8s.io").endRoleRef()
        .addNewSubject().withKind("User").withName("mallory").endSubject().build()).create();
    // Within the informers' delivery: no reconcile of the credential is needed to trigger it.
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(check("AccessRestricted").getResult()).isEqualTo("Fail");
      assertThat(check("AccessRestricted").getMessage()).contains("User:mallory");
    });

    harness.client().rbac().roleBindings().inNamespace("payments").withName("mallory").delete();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(check("AccessRestricted").getResult()).isEqualTo("Pass"));
  }

  @Test
  void grantedAccessIsWrittenOnceAndAnIdleReconcileWritesNothing() {
    harness.simulator().allowCredential(ID, "secret-1");
    harness.start();
    dev.reloadly.operator.testing.Workloads.create(harness.client(),
        dev.reloadly.operator.testing.Workloads.workload(
            dev.reloadly.operator.api.v1alpha1.WorkloadKind.Deployment, "payments", "api",
            "shop-reloadly", dev.reloadly.operator.testing.Workloads.Reading.VOLUME));
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    ReloadlyCredential credential = dev.reloadly.operator.testing.CredentialFixtures
        .withConsumer(secretRefCredential("shop", "src", TargetMode.TOKEN),
            dev.reloadly.operator.api.v1alpha1.WorkloadKind.Deployment, "api");
    credential.getSpec().getConsumers().setGrantAccess(true);
    harness.client().resource(credential).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(harness.client().rbac().roleBindings()
        .inNamespace("payments").withName("shop-reader").get().getSubjects())
        .singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("default")));

    harness.awaitSettled();
    int writes = harness.server().writes().size();
    long settled = harness.reconciles();
    steps.touchSource();
    harness.assertReconciledWithoutWrites(settled, writes + 1);
  }

  private ComplianceCheckStatus check(String name) {
    return harness.credential("shop").getStatus().getCompliance().getChecks().stream()
        .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
  }
}
