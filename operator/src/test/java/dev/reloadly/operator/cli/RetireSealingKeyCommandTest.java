package dev.reloadly.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.SealingKeyStatus;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKey;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.keys.OperatorKeyStore;
import dev.reloadly.operator.testing.CredentialFixtures;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetireSealingKeyCommandTest {
  static final String OPERATOR_NS = "reloadly-system";
  static final SecureRandom RANDOM = new SecureRandom();

  EmbeddedApiServer server;
  KubernetesClient client;
  SealingKeyRing ring;
  String oldKey;
  String newestKey;

  @BeforeEach
  void cluster() {
    server = EmbeddedApiServer.start();
    client = server.newClient();
    server.installCrd(client);
    ring = SealingKeyRing.generate(Instant.parse("2025-01-01T00:00:00Z"), RANDOM)
        .renewed(Instant.parse("2025-02-01T00:00:00Z"), RANDOM);
    oldKey = ring.keys().get(0).keyId();
    newestKey = ring.newest().keyId();
    new OperatorKeyStore(client, OPERATOR_NS, Clock.systemUTC(), RANDOM).seed(ring);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void removesAnUnusedOldKeyAndLeavesTheRestOfTheSecret() {
    Map<String, String> before = keySecret().getData();
    credentialWithStatusKey("on-newest", newestKey);

    CliRun.Result result = retire(oldKey);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("retired sealing key " + oldKey);
    Secret after = keySecret();
    assertThat(OperatorKeyStore.sealingOf(after).keys()).extracting(SealingKey::keyId)
        .containsExactly(newestKey);
    // The kept key still opens what was sealed to it.
    String sealed = new Sealer().seal("s3cret".getBytes(StandardCharsets.UTF_8),
        SealingScope.clientSecret("payments", "shop"), ring.newest());
    assertThat(new String(new Sealer().open(sealed, SealingScope.clientSecret("payments", "shop"),
        OperatorKeyStore.sealingOf(after)), StandardCharsets.UTF_8)).isEqualTo("s3cret");
    before.forEach((key, value) -> {
      if (!key.equals("sealing-keys.json")) {
        assertThat(after.getData()).containsEntry(key, value);
      }
    });
  }

  @Test
  void refusesWhileAStatusNamesTheKeyAndNamesTheCredentials() {
    credentialWithStatusKey("shop", oldKey);
    credentialWithStatusKey("billing", oldKey);
    credentialWithStatusKey("fine", newestKey);

    CliRun.Result result = retire(oldKey);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("still used by 2 ReloadlyCredential(s): payments/billing,"
        + " payments/shop").doesNotContain("payments/fine");
    assertThat(OperatorKeyStore.sealingOf(keySecret()).find(oldKey)).isPresent();
  }

  @Test
  void refusesWhileASealedValueUsesTheKeyBeforeAnyStatus() {
    String sealed = new Sealer().seal("s3cret".getBytes(StandardCharsets.UTF_8),
        SealingScope.clientSecret(CredentialFixtures.NAMESPACE, "fresh"), ring.keys().get(0));
    client.resource(CredentialFixtures.sealedCredential("fresh", sealed, sealed,
        TargetMode.CREDENTIALS)).create();

    CliRun.Result result = retire(oldKey);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("payments/fresh");
    assertThat(OperatorKeyStore.sealingOf(keySecret()).find(oldKey)).isPresent();
  }

  @Test
  void refusesTheNewestKey() {
    CliRun.Result result = retire(newestKey);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains(newestKey + " is the newest sealing key");
    assertThat(OperatorKeyStore.sealingOf(keySecret()).keys()).hasSize(2);
  }

  @Test
  void anUnknownKeyIsAnErrorListingTheKnownOnes() {
    CliRun.Result result = retire("no-such-key");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("holds no sealing key no-such-key")
        .contains(oldKey).contains(newestKey);
  }

  @Test
  void withoutTheKeySecretSaysWhereItLooked() {
    CliRun.Result result = CliRun.run(new RetireSealingKeyCommand(server::newClient),
        "retire-sealing-key", oldKey, "--operator-namespace", "elsewhere");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip()).isEqualTo("error: Secret elsewhere/"
        + OperatorKeyStore.SECRET + " not found: is the operator installed there?"
        + " (--operator-namespace)");
  }

  @Test
  void withoutAnIdIsAUsageError() {
    CliRun.Result result = CliRun.run(new RetireSealingKeyCommand(server::newClient),
        "retire-sealing-key");

    assertThat(result.exitCode()).isEqualTo(2);
  }

  private CliRun.Result retire(String id) {
    return CliRun.run(new RetireSealingKeyCommand(server::newClient), "retire-sealing-key", id,
        "--operator-namespace", OPERATOR_NS);
  }

  private void credentialWithStatusKey(String name, String keyId) {
    ReloadlyCredential credential = client.resource(CredentialFixtures.secretRefCredential(name,
        name + "-src", TargetMode.CREDENTIALS)).create();
    credential.setStatus(new ReloadlyCredentialStatus());
    credential.getStatus().setSealingKey(new SealingKeyStatus(keyId, keyId.equals(newestKey)));
    client.resource(credential).updateStatus();
  }

  private Secret keySecret() {
    return client.secrets().inNamespace(OPERATOR_NS).withName(OperatorKeyStore.SECRET).get();
  }
}
