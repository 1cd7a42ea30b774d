package dev.reloadly.operator.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.Attestations;
import dev.reloadly.operator.api.v1alpha1.ComplianceSpec;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.api.v1alpha1.Owner;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialSpec;
import dev.reloadly.operator.api.v1alpha1.SealedSource;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.rollout.Consumer;
import dev.reloadly.operator.rollout.Reads;
import dev.reloadly.operator.source.SourceOrigin;
import dev.reloadly.operator.testing.CredentialFixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each guideline check passing and failing, from facts alone. */
class ChecksTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  static final URI HTTPS = URI.create("https://auth.reloadly.com/oauth/token");

  private static ReloadlyCredentialSpec spec() {
    return CredentialFixtures.secretRefCredential("shop", "src", TargetMode.TOKEN).getSpec();
  }

  private static ComplianceFacts facts(ReloadlyCredentialSpec spec, VersionLedger ledger,
      List<Condition> conditions, SourceOrigin origin, List<Consumer> consumers,
      boolean kms, URI auth) {
    return new ComplianceFacts(spec, CredentialPolicy.of(spec), ledger, conditions, origin,
        consumers, true, kms, auth, List.of("TLSv1.3", "TLSv1.2"), NOW);
  }

  private static ComplianceFacts facts(ReloadlyCredentialSpec spec) {
    return facts(spec, VersionLedger.empty(), List.of(), null, List.of(), true, HTTPS);
  }

  private static Condition condition(String type, boolean status) {
    return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False")
        .withMessage(type + " message").build();
  }

  @Test
  void rotationPassesThenWarnsAtRenewBeforeThenFailsAtMaxAgeEachWithItsFlipTime() {
    ReloadlyCredentialSpec spec = spec();
    Instant created = NOW.minus(Duration.ofDays(10));
    VersionLedger ledger = VersionLedger.empty().offer("hmac-sha256:01", created)
        .promote("hmac-sha256:01", created);
    Finding young = new Checks.RotationWithinMaxAge().check(facts(spec, ledger, List.of(), null,
        List.of(), true, HTTPS));
    assertThat(young.result()).isEqualTo(Result.Pass);
    assertThat(young.flipsAt()).contains(created.plus(Duration.ofDays(90 - 14)));

    ComplianceFacts due = new ComplianceFacts(spec, CredentialPolicy.of(spec), ledger, List.of(),
        null, List.of(), true, true, HTTPS, List.of(), created.plus(Duration.ofDays(80)));
    assertThat(new Checks.RotationWithinMaxAge().check(due).result()).isEqualTo(Result.Warn);
    ComplianceFacts old = new ComplianceFacts(spec, CredentialPolicy.of(spec), ledger, List.of(),
        null, List.of(), true, true, HTTPS, List.of(), created.plus(Duration.ofDays(91)));
    assertThat(new Checks.RotationWithinMaxAge().check(old).result()).isEqualTo(Result.Fail);
    assertThat(new Checks.RotationWithinMaxAge().check(facts(spec)).result())
        .isEqualTo(Result.Skip);
  }

  @Test
  void anOpenCompromiseFails() {
    assertThat(new Checks.NoCompromisedVersionServed().check(facts(spec(), VersionLedger.empty(),
        List.of(condition(Conditions.CREDENTIAL_COMPROMISED, true)), null, List.of(), true,
        HTTPS)).result()).isEqualTo(Result.Fail);
    assertThat(new Checks.NoCompromisedVersionServed().check(facts(spec())).result())
        .isEqualTo(Result.Pass);
  }

  @Test
  void aPlainSecretSyncedFromGitFailsUnlessAProducerOwnsIt() {
    Checks.NotInVersionControl check = new Checks.NotInVersionControl();
    assertThat(check.check(facts(spec(), VersionLedger.empty(), List.of(),
        new SourceOrigin(true, List.of()), List.of(), true, HTTPS)).result())
        .isEqualTo(Result.Fail);
    assertThat(check.check(facts(spec(), VersionLedger.empty(), List.of(),
        new SourceOrigin(true, List.of("ExternalSecret")), List.of(), true, HTTPS)).result())
        .isEqualTo(Result.Pass);
    assertThat(check.check(facts(spec(), VersionLedger.empty(), List.of(),
        new SourceOrigin(false, List.of()), List.of(), true, HTTPS)).result())
        .isEqualTo(Result.Pass);
    ReloadlyCredentialSpec sealed = spec();
    sealed.getSource().setSecretRef(null);
    sealed.getSource().setSealed(new SealedSource("a", "b"));
    assertThat(check.check(facts(sealed)).result()).isEqualTo(Result.Pass);
  }

  @Test
  void encryptionWarnsForTheSecretInTheTargetAndForLocalKeys() {
    Checks.EncryptedAtRest check = new Checks.EncryptedAtRest();
    assertThat(check.check(facts(spec())).result()).isEqualTo(Result.Pass);
    assertThat(check.check(facts(spec(), VersionLedger.empty(), List.of(), null, List.of(),
        false, HTTPS)).result()).isEqualTo(Result.Warn);
    ReloadlyCredentialSpec both = spec();
    both.getTarget().setMode(TargetMode.BOTH);
    assertThat(check.check(facts(both)).message()).contains("client secret itself");
  }

  @Test
  void tlsFailsBelowOnePointTwoAndWarnsForALocalSimulator() {
    Checks.TlsOnly check = new Checks.TlsOnly();
    assertThat(check.check(facts(spec())).result()).isEqualTo(Result.Pass);
    assertThat(check.check(facts(spec(), VersionLedger.empty(), List.of(), null, List.of(), true,
        URI.create("http://127.0.0.1:8080/oauth/token"))).result()).isEqualTo(Result.Warn);
    ReloadlyCredentialSpec spec = spec();
    ComplianceFacts old = new ComplianceFacts(spec, CredentialPolicy.of(spec),
        VersionLedger.empty(), List.of(), null, List.of(), true, true, HTTPS,
        List.of("TLSv1.2", "TLSv1.1"), NOW);
    assertThat(check.check(old).result()).isEqualTo(Result.Fail);
  }

  @Test
  void environmentReadersWarnAndFileReadersPass() {
    Checks.NotExposedInEnv check = new Checks.NotExposedInEnv();
    Consumer file = new Consumer(dev.reloadly.operator.api.v1alpha1.WorkloadKind.Deployment,
        "a", Optional.empty(), new Reads(false, true, false), true, true);
    Consumer env = new Consumer(dev.reloadly.operator.api.v1alpha1.WorkloadKind.Deployment,
        "b", Optional.empty(), new Reads(true, false, true), true, true);
    assertThat(check.check(facts(spec(), VersionLedger.empty(), List.of(), null,
        List.of(file), true, HTTPS)).result()).isEqualTo(Result.Pass);
    assertThat(check.check(facts(spec(), VersionLedger.empty(), List.of(), null,
        List.of(file, env), true, HTTPS)).message()).contains("Deployment/b");
    assertThat(check.check(facts(spec())).result()).isEqualTo(Result.Skip);
  }

  @Test
  void aFreeMailOwnerFails() {
    ReloadlyCredentialSpec spec = spec();
    spec.setOwner(new Owner("payments", "someone@Gmail.com"));
    assertThat(new Checks.OwnerEmailDomain(FreeMail.DOMAINS).check(facts(spec)).result())
        .isEqualTo(Result.Fail);
    assertThat(new Checks.OwnerEmailDomain(FreeMail.DOMAINS).check(facts(spec())).result())
        .isEqualTo(Result.Pass);
    assertThat(FreeMail.DOMAINS).hasSizeGreaterThanOrEqualTo(50).hasSize(FreeMail.SIZE);
    assertThat(FreeMail.with("corp-mail.example")).contains("corp-mail.example");
  }

  @Test
  void attestationsPassOnlyWhenDeclaredAndRecent() {
    Checks.PortalPasswordRotated password = new Checks.PortalPasswordRotated();
    Checks.PortalTwoFactor twoFactor = new Checks.PortalTwoFactor();
    assertThat(password.check(facts(spec())).result()).isEqualTo(Result.Fail);
    assertThat(twoFactor.check(facts(spec())).result()).isEqualTo(Result.Fail);
    ReloadlyCredentialSpec spec = spec();
    ComplianceSpec compliance = new ComplianceSpec();
    Attestations attestations = new Attestations();
    attestations.setPortalTwoFactor(true);
    attestations.setPortalPasswordRotatedAt("2026-10-01");
    compliance.setAttestations(attestations);
    spec.setCompliance(compliance);
    Finding recent = password.check(facts(spec));
    assertThat(recent.result()).isEqualTo(Result.Pass);
    assertThat(recent.flipsAt()).contains(Instant.parse("2026-12-30T00:00:00Z"));
    assertThat(twoFactor.check(facts(spec)).result()).isEqualTo(Result.Pass);
    attestations.setPortalPasswordRotatedAt("2026-08-01");
    assertThat(password.check(facts(spec)).result()).isEqualTo(Result.Fail);
    attestations.setPortalPasswordRotatedAt("2027-01-01");
    assertThat(password.check(facts(spec)).message()).contains("future");
  }

  @Test
  void egressFollowsItsConditionsAndWarnsWhenNotConfigured() {
    Checks.EgressAllowlisted check = new Checks.EgressAllowlisted();
    assertThat(check.check(facts(spec())).result()).isEqualTo(Result.Warn);
    ReloadlyCredentialSpec spec = spec();
    spec.setEgress(new EgressSpec());
    assertThat(check.check(facts(spec, VersionLedger.empty(),
        List.of(condition(Conditions.EGRESS_ALLOWLISTED, true)), null, List.of(), true,
        HTTPS)).result()).isEqualTo(Result.Pass);
    assertThat(check.check(facts(spec, VersionLedger.empty(),
        List.of(condition(Conditions.EGRESS_ALLOWLISTED, false)), null, List.of(), true,
        HTTPS)).result()).isEqualTo(Result.Fail);
    assertThat(check.check(facts(spec, VersionLedger.empty(),
        List.of(condition(Conditions.EGRESS_ALLOWLISTED, true),
            condition(Conditions.EGRESS_VERIFIED, false)), null, List.of(), true, HTTPS))
        .result()).isEqualTo(Result.Fail);
  }

  @Test
  void aLiveCredentialGoesLiveOnlyWithoutFailuresAndTheConditionSaysWhy() {
    ReloadlyCredentialSpec spec = spec();
    spec.setEnvironment(Environment.LIVE);
    ComplianceReport.Report report = new ComplianceReport(FreeMail.DOMAINS)
        .run(facts(spec), null);
    assertThat(report.status().getChecks()).anySatisfy(c -> {
      assertThat(c.getName()).isEqualTo("GoLiveReview");
      assertThat(c.getResult()).isEqualTo("Fail");
    });
    assertThat(report.condition().status()).isFalse();
    assertThat(report.condition().message()).contains("PortalTwoFactor (C3)");
    assertThat(report.status().getScore()).matches("\\d+/\\d+");
    assertThat(report.status().getChecks()).allSatisfy(c ->
        assertThat(c.getSince()).isEqualTo(NOW.toString()));
  }

  @Test
  void theOperatorsOwnSbomPassesA6AndItsAbsenceIsASkip() {
    Optional<OperatorSbom> built = OperatorSbom.ofThisBuild();
    assertThat(built).as("the build writes " + OperatorSbom.RESOURCE).isPresent();
    assertThat(built.get().components()).as("every runtime library").isGreaterThan(50);
    Finding pass = new Checks.DependenciesScanned(built).check(facts(spec()));
    assertThat(pass.result()).isEqualTo(Result.Pass);
    assertThat(pass.message()).contains("CycloneDX 1.6", OperatorSbom.RESOURCE);

    assertThat(new Checks.DependenciesScanned(Optional.empty()).check(facts(spec())).result())
        .isEqualTo(Result.Skip);
    assertThat(OperatorSbom.read(new java.io.ByteArrayInputStream(
        "{\"bomFormat\":\"SPDX\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .as("not CycloneDX").isEmpty();
    assertThat(OperatorSbom.read(new java.io.ByteArrayInputStream(new byte[] {'{'})))
        .as("not JSON").isEmpty();
  }

  @Test
  void accessIsRestrictedUnlessSomeoneElseCanReadAndSkippedWithoutRbac() {
    ReloadlyCredentialSpec spec = spec();
    Checks.AccessRestricted check = new Checks.AccessRestricted();
    assertThat(check.check(facts(spec)).result()).isEqualTo(Result.Skip);
    ComplianceFacts none = new ComplianceFacts(spec, CredentialPolicy.of(spec),
        VersionLedger.empty(), List.of(), null, List.of(), true, true, HTTPS, List.of(), NOW,
        Optional.of(java.util.Set.of()));
    assertThat(check.check(none).result()).isEqualTo(Result.Pass);
    ComplianceFacts mallory = new ComplianceFacts(spec, CredentialPolicy.of(spec),
        VersionLedger.empty(), List.of(), null, List.of(), true, true, HTTPS, List.of(), NOW,
        Optional.of(java.util.Set.of("User:mallory")));
    assertThat(check.check(mallory).message()).contains("User:mallory");
  }
}
