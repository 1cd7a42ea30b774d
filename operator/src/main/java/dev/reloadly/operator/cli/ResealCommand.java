package dev.reloadly.operator.cli;

import dev.reloadly.operator.cli.SealCommand.Failure;
import dev.reloadly.operator.cli.SealCommand.ScopeOptions;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.crypto.SealedValue;
import dev.reloadly.operator.crypto.SealedValueException;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `reseal`: moves one sealed value, read from stdin, to the operator's newest sealing key. */
@Command(name = "reseal", mixinStandardHelpOptions = true,
    description = {"Re-seal a sealed value (read from stdin) to the newest sealing key, so older"
        + " keys can be dropped. A value already sealed to the newest key is printed unchanged.",
        "Needs read access to Secret " + OperatorKeyStore.SECRET + " in the operator's"
            + " namespace: the private sealing keys."})
public final class ResealCommand implements Callable<Integer> {
  // Same name as in OperatorKeyStore, where the constant is package-private.
  static final String SEALING_KEYS = "sealing-keys.json";
  // Sealed values in a resource are at most 4096 characters; anything much longer is not one.
  private static final int MAX_INPUT_BYTES = 64 * 1024;

  @Spec CommandSpec spec;

  @Mixin ScopeOptions target;

  @Option(names = "--operator-namespace", paramLabel = "NS",
      defaultValue = "${env:OPERATOR_NAMESPACE}",
      description = "Namespace of the operator (env OPERATOR_NAMESPACE). Default: "
          + OperatorConfig.DEFAULT_NAMESPACE + ".")
  String operatorNamespace;

  private final InputStream stdin;
  private final Supplier<KubernetesClient> clients;

  public ResealCommand() {
    this(System.in, null);
  }

  /** For tests: {@code stdin} replaces the process's stdin. */
  ResealCommand(InputStream stdin, Supplier<KubernetesClient> clients) {
    this.stdin = stdin;
    this.clients = clients;
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    SealingScope scope = target.scope(cmd);
    String namespace = SealCommand.resolveOperatorNamespace(cmd, operatorNamespace);
    String sealed = readSealed(cmd);
    String fromKey = keyIdOf(cmd, sealed);
    try {
      SealingKeyRing ring = privateRing(namespace);
      String resealed;
      try {
        resealed = new Sealer().reseal(sealed, scope, ring);
      } catch (SealedValueException e) {
        // Wrong --namespace/--name/--field, or a value from another cluster: the input's fault.
        throw new ParameterException(cmd, "the sealed value on stdin: " + e.getMessage());
      }
      cmd.getOut().print(target.render(resealed));
      cmd.getOut().flush();
      String newest = ring.newest().keyId();
      cmd.getErr().println(fromKey.equals(newest)
          ? target.describe() + " is already sealed to the newest key " + newest + "; unchanged"
          : "re-sealed " + target.describe() + " from sealing key " + fromKey + " to " + newest);
      return 0;
    } catch (Failure e) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    }
  }

  private String readSealed(CommandLine cmd) {
    byte[] bytes;
    try {
      bytes = stdin.readNBytes(MAX_INPUT_BYTES + 1);
    } catch (IOException e) {
      throw new ParameterException(cmd, "cannot read the sealed value from stdin");
    }
    if (bytes.length > MAX_INPUT_BYTES) {
      throw new ParameterException(cmd, "stdin is longer than " + MAX_INPUT_BYTES
          + " bytes; give one sealed value");
    }
    String sealed = new String(bytes, StandardCharsets.UTF_8).strip();
    if (sealed.isEmpty()) {
      throw new ParameterException(cmd, "no sealed value on stdin: pipe one in, e.g."
          + " reseal ... <<< 'rlsealed:v1:...'");
    }
    return sealed;
  }

  private static String keyIdOf(CommandLine cmd, String sealed) {
    try {
      return SealedValue.keyIdOf(sealed);
    } catch (SealedValueException e) {
      throw new ParameterException(cmd, "stdin is not a sealed value: " + e.getMessage());
    }
  }

  /** The private ring; its decoded bytes are wiped once parsed. */
  private SealingKeyRing privateRing(String namespace) {
    String where = "Secret " + namespace + "/" + OperatorKeyStore.SECRET;
    Secret secret;
    try (KubernetesClient client = target.credential.cluster.or(clients).get()) {
      secret = client.secrets().inNamespace(namespace).withName(OperatorKeyStore.SECRET).get();
    } catch (KubernetesClientException e) {
      throw new Failure("cannot read " + where + ": " + e.getMessage());
    }
    if (secret == null) {
      throw new Failure(where + " not found; is the operator installed in namespace " + namespace
          + "? (--operator-namespace)");
    }
    String encoded = secret.getData() == null ? null : secret.getData().get(SEALING_KEYS);
    if (encoded == null) {
      throw new Failure(where + " has no key " + SEALING_KEYS);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // The decoder's message can quote input characters: key material. Not kept.
      throw new Failure(where + " key " + SEALING_KEYS + " is not base64");
    }
    try {
      return SealingKeyRing.parseSecret(bytes);
    } catch (KeyRingFormatException e) {
      throw new Failure(where + " key " + SEALING_KEYS + " is not a sealing key ring: "
          + e.getMessage());
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
