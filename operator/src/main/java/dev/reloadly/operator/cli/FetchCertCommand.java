package dev.reloadly.operator.cli;

import dev.reloadly.operator.cli.SealCommand.Failure;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `fetch-cert`: saves the operator's sealing public keys, so values can be sealed later without
 * cluster access ({@code seal --cert FILE}), as {@code kubeseal --fetch-cert} does for Sealed
 * Secrets. The document is checked before it is written: a broken one fails here, not at sealing.
 */
@Command(name = "fetch-cert", mixinStandardHelpOptions = true,
    description = {"Print the operator's sealing public keys (ConfigMap "
        + OperatorKeyStore.CONFIG_MAP + ", key " + OperatorKeyStore.PUBLIC_KEYS + "), to seal"
        + " offline with seal --cert FILE. They hold no secret: commit them next to your"
        + " manifests if you like."},
    footer = {"", "Examples:",
        "  kubectl reloadly fetch-cert > reloadly-public-keys.json",
        "  kubectl reloadly seal shop -n payments --field clientSecret \\",
        "      --cert reloadly-public-keys.json < client-secret.txt"})
public final class FetchCertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Option(names = "--operator-namespace", paramLabel = "NS",
      defaultValue = "${env:OPERATOR_NAMESPACE}",
      description = "Namespace of the operator (env OPERATOR_NAMESPACE). Default: "
          + OperatorConfig.DEFAULT_NAMESPACE + ".")
  String operatorNamespace;

  @Option(names = "--file", paramLabel = "FILE",
      description = "Write the document to FILE instead of stdout.")
  Path file;

  private final Supplier<KubernetesClient> clients;

  public FetchCertCommand() {
    this(null);
  }

  /** For tests: the client to read through. */
  FetchCertCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    String namespace = SealCommand.resolveOperatorNamespace(cmd, operatorNamespace);
    try (KubernetesClient client = cluster.or(clients).get()) {
      PublicKeys keys = PublicKeys.fetch(client, namespace);
      String document = keys.document().endsWith("\n") ? keys.document()
          : keys.document() + "\n";
      if (file == null) {
        cmd.getOut().print(document);
        cmd.getOut().flush();
      } else {
        write(document);
      }
      // The id lets the user check it against the operator's log ("published sealing key ...").
      cmd.getErr().println("fetched " + keys.ring().keys().size() + " sealing public key(s) from "
          + keys.where() + "; newest " + keys.ring().newest().keyId()
          + (file == null ? "" : "; written to " + file));
      return 0;
    } catch (Failure e) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    }
  }

  private void write(String document) {
    try {
      Files.writeString(file, document, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Failure("cannot write " + file + ": " + e.getMessage());
    }
  }
}
