package dev.reloadly.operator.cli;

import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.keys.OperatorKeyStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `seal`: encrypts one client id or secret, read from stdin, for a credential's sealed source. */
@Command(name = "seal", mixinStandardHelpOptions = true,
    description = {"Seal a client id or client secret so it can be committed to Git: only the"
        + " operator can open it, and only for this namespace, credential and field.",
        "The value is read from stdin (or --file), never from an argument, so it stays out of"
            + " shell history. One trailing newline is removed."})
public final class SealCommand implements Callable<Integer> {
  // spec.source.sealed.* has @Size(max = 4096) in the CRD; a longer value would be rejected there.
  static final int MAX_SEALED_CHARS = 4096;

  @Spec CommandSpec spec;

  @Mixin ScopeOptions target;

  @Option(names = "--cert", paramLabel = "FILE",
      description = "The public-key document (public-keys.json of ConfigMap "
          + OperatorKeyStore.CONFIG_MAP + "), for sealing without cluster access.")
  Path cert;

  @Option(names = "--fetch",
      description = "Read the public keys from ConfigMap " + OperatorKeyStore.CONFIG_MAP
          + " with the current kubeconfig.")
  boolean fetch;

  @Option(names = "--operator-namespace", paramLabel = "NS",
      defaultValue = "${env:OPERATOR_NAMESPACE}",
      description = "Namespace of the operator, for --fetch (env OPERATOR_NAMESPACE). Default: "
          + OperatorConfig.DEFAULT_NAMESPACE + ".")
  String operatorNamespace;

  @Option(names = "--file", paramLabel = "VALUE_FILE",
      description = "Read the value from this file instead of stdin.")
  Path valueFile;

  private final InputStream stdin;
  private final Supplier<KubernetesClient> clients;

  public SealCommand() {
    this(null, null);
  }

  /**
   * For tests: {@code stdin} replaces the process's stdin; null means the real one. Null
   * {@code clients} means the cluster the options name.
   */
  SealCommand(InputStream stdin, Supplier<KubernetesClient> clients) {
    this.stdin = stdin;
    this.clients = clients;
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    SealingScope scope = target.scope(cmd);
    if ((cert != null) == fetch) {
      throw new ParameterException(cmd,
          "give exactly one of --cert FILE (offline) and --fetch (read the cluster's public keys)");
    }
    try {
      // Keys before the value: a wrong --cert or an unreachable cluster fails before anyone types.
      SealingKeyRing ring = fetch
          ? fetchPublicKeys(resolveOperatorNamespace(cmd, operatorNamespace)) : readCert(cmd);
      byte[] value = readValue(cmd);
      String sealed;
      try {
        sealed = new Sealer().seal(value, scope, ring.newest());
      } finally {
        Arrays.fill(value, (byte) 0);
      }
      if (sealed.length() > MAX_SEALED_CHARS) {
        throw new ParameterException(cmd, "the value is too long: sealed it is " + sealed.length()
            + " characters and spec.source.sealed allows " + MAX_SEALED_CHARS);
      }
      cmd.getOut().print(target.render(sealed));
      cmd.getOut().flush();
      // The id lets the user check the key against status.sealingKey or the operator's log
      // ("published sealing key ..."): a key planted in the ConfigMap would show up here.
      cmd.getErr().println("sealed " + target.describe() + " to sealing key "
          + ring.newest().keyId() + (fetch ? " (read from ConfigMap "
          + resolveOperatorNamespace(cmd, operatorNamespace) + "/" + OperatorKeyStore.CONFIG_MAP
          + ")" : " (from " + cert + ")"));
      return 0;
    } catch (Failure e) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    }
  }

  private SealingKeyRing readCert(CommandLine cmd) {
    String document;
    try {
      document = Files.readString(cert, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(cmd, "--cert: cannot read " + cert);
    }
    try {
      return SealingKeyRing.parsePublicDocument(document);
    } catch (KeyRingFormatException e) {
      throw new ParameterException(cmd, "--cert: " + cert + " is not a sealing public-key"
          + " document (" + e.getMessage() + ")");
    }
  }

  private SealingKeyRing fetchPublicKeys(String namespace) {
    try (KubernetesClient client = target.credential.cluster.or(clients).get()) {
      return PublicKeys.fetch(client, namespace).ring();
    }
  }

  private byte[] readValue(CommandLine cmd) {
    byte[] raw;
    try {
      if (valueFile != null) {
        try (InputStream in = Files.newInputStream(valueFile)) {
          raw = readBounded(in, cmd);
        }
      } else if (stdin == null && System.console() != null) {
        // Typed at a terminal: read without echo so the secret does not stay on screen.
        return hiddenLine(cmd, System.console());
      } else {
        raw = readBounded(stdin == null ? System.in : stdin, cmd);
      }
    } catch (IOException e) {
      throw new ParameterException(cmd, valueFile != null ? "--file: cannot read " + valueFile
          : "cannot read the value from stdin");
    }
    byte[] value = withoutTrailingNewline(raw);
    Arrays.fill(raw, (byte) 0);
    return requireNotEmpty(cmd, value);
  }

  private byte[] hiddenLine(CommandLine cmd, Console console) {
    char[] chars = console.readPassword("%s (input hidden): ", target.describe());
    if (chars == null) {
      throw new ParameterException(cmd, "no value given on stdin");
    }
    ByteBuffer encoded = null;
    try {
      encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(chars));
      byte[] value = new byte[encoded.remaining()];
      encoded.get(value);
      return requireNotEmpty(cmd, value);
    } catch (CharacterCodingException e) {
      throw new ParameterException(cmd, "the value is not valid text");
    } finally {
      Arrays.fill(chars, '\0');
      if (encoded != null && encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
    }
  }

  /**
   * Reads at most a sealable value plus a line ending. Grows its own buffer (zeroing the old one)
   * rather than using ByteArrayOutputStream, which would leave copies of the secret behind.
   */
  private static byte[] readBounded(InputStream in, CommandLine cmd) throws IOException {
    int max = Sealer.MAX_PLAINTEXT_BYTES + 2;
    byte[] buffer = new byte[256];
    int length = 0;
    try {
      while (true) {
        if (length == buffer.length) {
          byte[] bigger = Arrays.copyOf(buffer, buffer.length * 2);
          Arrays.fill(buffer, (byte) 0);
          buffer = bigger;
        }
        int read = in.read(buffer, length, buffer.length - length);
        if (read < 0) {
          return Arrays.copyOf(buffer, length);
        }
        length += read;
        if (length > max) {
          throw new ParameterException(cmd, "the value is longer than "
              + Sealer.MAX_PLAINTEXT_BYTES + " bytes");
        }
      }
    } finally {
      Arrays.fill(buffer, (byte) 0);
    }
  }

  /** Exactly one: `echo` adds one, and a value that really ends in a newline keeps the rest. */
  static byte[] withoutTrailingNewline(byte[] raw) {
    int end = raw.length;
    if (end > 0 && raw[end - 1] == '\n') {
      end--;
      if (end > 0 && raw[end - 1] == '\r') {
        end--;
      }
    }
    return Arrays.copyOf(raw, end);
  }

  private static byte[] requireNotEmpty(CommandLine cmd, byte[] value) {
    if (value.length == 0) {
      throw new ParameterException(cmd, "the value is empty: pipe it on stdin, e.g."
          + " seal ... < client-secret.txt");
    }
    return value;
  }

  static String resolveOperatorNamespace(CommandLine cmd, String flag) {
    if (flag == null || flag.isBlank()) {
      return OperatorConfig.DEFAULT_NAMESPACE;
    }
    String namespace = flag.trim();
    CredentialOptions.requireLabel(cmd, "--operator-namespace", namespace);
    return namespace;
  }

  /** Which field of which credential a value is sealed for, and how it is printed. */
  static final class ScopeOptions {
    @Mixin CredentialOptions credential;

    @Option(names = "--field", required = true, paramLabel = "clientId|clientSecret",
        description = "Which value this is: clientId or clientSecret.")
    String field;

    @Option(names = {"-o", "--output"}, defaultValue = "raw", paramLabel = "raw|yaml",
        description = "raw: the sealed value alone (default); yaml: a spec.source.sealed fragment.")
    String output;

    SealingScope scope(CommandLine cmd) {
      credential.validate(cmd);
      // Not echoed: a value typed in the wrong place must not end up in the terminal's scrollback.
      if (!SealingScope.CLIENT_ID.equals(field) && !SealingScope.CLIENT_SECRET.equals(field)) {
        throw new ParameterException(cmd, "--field must be " + SealingScope.CLIENT_ID + " or "
            + SealingScope.CLIENT_SECRET);
      }
      if (!"raw".equals(output) && !"yaml".equals(output)) {
        throw new ParameterException(cmd, "-o must be raw or yaml");
      }
      return new SealingScope(credential.namespace, credential.name, field);
    }

    /** The sealed value alone, or the fragment to paste under a ReloadlyCredential. */
    String render(String sealed) {
      if ("raw".equals(output)) {
        return sealed + System.lineSeparator();
      }
      // A sealed value is a fixed prefix plus base64url, so it is a plain YAML scalar as is.
      return String.join(System.lineSeparator(),
          "spec:",
          "  source:",
          "    sealed:",
          "      " + field + ": " + sealed,
          "");
    }

    String describe() {
      return credential.namespace + "/" + credential.name + " " + field;
    }
  }

  /** A failure after the arguments were accepted (cluster, key material): one line, exit 1. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }
}
