package dev.reloadly.operator.cli;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.SealedSource;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.SealedValueException;
import dev.reloadly.operator.crypto.SealedValue;
import dev.reloadly.operator.crypto.SealingKey;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `retire-sealing-key`: removes an old sealing private key from the operator's key Secret once no
 * credential uses it. Old keys are otherwise kept forever, so one leak of that Secret would open
 * every value ever sealed to them, in Git history too.
 */
@Command(name = "retire-sealing-key", mixinStandardHelpOptions = true,
    description = {"Remove an old sealing private key from the operator's key Secret, after"
        + " status.sealingKey shows that no ReloadlyCredential still uses it. Refuses the newest"
        + " key, and any key a credential still uses (naming them: re-seal those first with"
        + " `reseal`).",
        "Values sealed to the retired key can never be opened again."})
public final class RetireSealingKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "Key id of the sealing key to retire.")
  String keyId;

  @Option(names = "--operator-namespace", defaultValue = "${env:OPERATOR_NAMESPACE}",
      description = "Namespace of the operator's keys (env OPERATOR_NAMESPACE). Default: "
          + OperatorConfig.DEFAULT_NAMESPACE + ".")
  String operatorNamespace;

  private final Supplier<KubernetesClient> clients;

  public RetireSealingKeyCommand() {
    this(() -> new KubernetesClientBuilder().build());
  }

  /** With the cluster client to use (tests pass one for an embedded API server). */
  public RetireSealingKeyCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    String namespace = operatorNamespace == null || operatorNamespace.isBlank()
        ? OperatorConfig.DEFAULT_NAMESPACE : operatorNamespace.trim();
    String where = "Secret " + namespace + "/" + OperatorKeyStore.SECRET;
    PrintWriter err = cmd.getErr();
    try (KubernetesClient client = clients.get()) {
      Secret secret = client.secrets().inNamespace(namespace).withName(OperatorKeyStore.SECRET)
          .get();
      if (secret == null) {
        err.println("error: " + where + " not found: is the operator installed there?"
            + " (--operator-namespace)");
        return 1;
      }
      SealingKeyRing ring = OperatorKeyStore.sealingOf(secret);
      if (ring.find(keyId).isEmpty()) {
        err.println("error: " + where + " holds no sealing key " + keyId + "; it holds "
            + String.join(", ", ring.keys().stream().map(SealingKey::keyId).toList()));
        return 1;
      }
      if (ring.newest().keyId().equals(keyId)) {
        err.println("error: " + keyId + " is the newest sealing key, the one `seal` uses; it"
            + " can be retired only after the operator renewed it");
        return 1;
      }
      List<String> users = usersOf(client, keyId);
      if (!users.isEmpty()) {
        err.println("error: sealing key " + keyId + " is still used by " + users.size()
            + " ReloadlyCredential(s): " + String.join(", ", users)
            + ". Re-seal them (reseal), wait until their status.sealingKey names the newest key,"
            + " then run this again.");
        return 1;
      }
      SealingKeyRing remaining = SealingKeyRing.of(ring.keys().stream()
          .filter(k -> !k.keyId().equals(keyId)).toList());
      // update() carries the resourceVersion read above: a concurrent renewal makes this fail
      // rather than be overwritten.
      client.secrets().inNamespace(namespace)
          .resource(OperatorKeyStore.withSealing(secret, remaining)).update();
      cmd.getOut().println("retired sealing key " + keyId + ": its private key is removed from "
          + where + "; the operator drops its public key from ConfigMap " + namespace + "/"
          + OperatorKeyStore.CONFIG_MAP + ". Values sealed to it can no longer be opened.");
      return 0;
    } catch (KubernetesClientException e) {
      err.println("error: " + switch (e.getCode()) {
        case HttpURLConnection.HTTP_CONFLICT -> where + " changed while retiring (the operator"
            + " renewed a key?); nothing was removed, run the command again";
        case HttpURLConnection.HTTP_FORBIDDEN -> "not allowed (403): retiring needs get and"
            + " update on " + where + " and list on reloadlycredentials in all namespaces";
        default -> "cannot reach the cluster (HTTP " + e.getCode() + ")";
      });
      return 1;
    }
  }

  /**
   * Credentials that still use the key, as namespace/name: by status.sealingKey, or by the key
   * id inside their sealed values when the operator has not reported on them yet.
   */
  private static List<String> usersOf(KubernetesClient client, String keyId) {
    return client.resources(ReloadlyCredential.class).inAnyNamespace().list().getItems().stream()
        .filter(c -> keyId.equals(statusKeyId(c)) || sealedKeyIds(c).anyMatch(keyId::equals))
        .map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName())
        .sorted()
        .toList();
  }

  private static String statusKeyId(ReloadlyCredential credential) {
    return credential.getStatus() == null || credential.getStatus().getSealingKey() == null
        ? null : credential.getStatus().getSealingKey().getKeyId();
  }

  private static Stream<String> sealedKeyIds(ReloadlyCredential credential) {
    Optional<SealedSource> sealed = Optional.ofNullable(credential.getSpec())
        .map(s -> s.getSource()).map(s -> s.getSealed());
    return sealed.stream()
        .flatMap(s -> Stream.of(s.getClientId(), s.getClientSecret()))
        .filter(Objects::nonNull)
        .map(RetireSealingKeyCommand::keyIdOrNull)
        .filter(Objects::nonNull);
  }

  private static String keyIdOrNull(String sealed) {
    try {
      return SealedValue.keyIdOf(sealed);
    } catch (SealedValueException | IllegalArgumentException e) {
      return null;
    }
  }
}
