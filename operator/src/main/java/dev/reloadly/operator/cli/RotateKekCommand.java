package dev.reloadly.operator.cli;

import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `rotate-kek`: asks the running operator to rotate its key-encryption key now. The operator
 * watches its key Secret, rotates, re-wraps (with --reencrypt: re-encrypts) every store and
 * removes the request.
 */
@Command(name = "rotate-kek", mixinStandardHelpOptions = true,
    description = "Ask the operator to rotate its key-encryption key now (e.g. after a suspected"
        + " leak of the key Secret's backups).")
public final class RotateKekCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--operator-namespace", defaultValue = "${env:OPERATOR_NAMESPACE}",
      description = "Namespace of the operator's keys (env OPERATOR_NAMESPACE). Default: "
          + OperatorConfig.DEFAULT_NAMESPACE + ".")
  String operatorNamespace;

  @Option(names = "--reencrypt",
      description = "Also give every stored value a new data key (DEK), not only a re-wrap of the"
          + " existing one: use it when the KEK or a backup of the key Secret may have leaked."
          + " Resumable: an operator stopped half-way finishes after a restart.")
  boolean reencrypt;

  private final Supplier<KubernetesClient> clients;

  public RotateKekCommand() {
    this(ClusterConnection::open);
  }

  /** With the cluster client to use (tests pass one for an embedded API server). */
  public RotateKekCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    String namespace = operatorNamespace == null || operatorNamespace.isBlank()
        ? OperatorConfig.DEFAULT_NAMESPACE : operatorNamespace.trim();
    try (KubernetesClient client = clients.get()) {
      if (client.secrets().inNamespace(namespace).withName(OperatorKeyStore.SECRET).get() == null) {
        spec.commandLine().getErr().println("error: Secret " + namespace + "/"
            + OperatorKeyStore.SECRET + " not found: is the operator installed there?");
        return 1;
      }
      String now = Instant.now().toString();
      // Both annotations in one patch: the operator never sees a rotation without its re-encryption.
      client.secrets().inNamespace(namespace).withName(OperatorKeyStore.SECRET)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
              + OperatorKeyStore.ROTATE_KEK + "\":\"" + now + "\""
              + (reencrypt ? ",\"" + OperatorKeyStore.REENCRYPT + "\":\"" + now + "\"" : "")
              + "}}}");
      if (reencrypt) {
        spec.commandLine().getOut().println("KEK rotation with re-encryption requested; the"
            + " operator rotates, gives every stored value a new data key and records its progress"
            + " in annotation " + OperatorKeyStore.REENCRYPT_KEKS + " of Secret " + namespace + "/"
            + OperatorKeyStore.SECRET + ", which it removes once the old KEKs are retired.");
      } else {
        spec.commandLine().getOut().println("KEK rotation requested; the operator rotates,"
            + " re-wraps every store Secret and removes " + OperatorKeyStore.ROTATE_KEK
            + " from Secret " + namespace + "/" + OperatorKeyStore.SECRET + " when done.");
      }
      return 0;
    } catch (KubernetesClientException e) {
      spec.commandLine().getErr().println("error: cannot request the rotation in Secret "
          + namespace + "/" + OperatorKeyStore.SECRET + " (HTTP " + e.getCode() + "): "
          + e.getMessage());
      return 1;
    }
  }
}
