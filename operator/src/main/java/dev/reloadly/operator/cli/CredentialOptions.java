package dev.reloadly.operator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * One ReloadlyCredential, named the way kubectl names objects: {@code NAME -n NAMESPACE}, the
 * namespace defaulting to the context's. {@code --name} stays for scripts written before the
 * positional form.
 */
final class CredentialOptions {
  // DNS-1123 label (namespaces) and subdomain (object names), as the API server checks them.
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String SUBDOMAIN = LABEL + "(\\." + LABEL + ")*";

  @Mixin ClusterOptions cluster;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Namespace of the ReloadlyCredential (default: the context's namespace).")
  String namespace;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
      description = "Name of the ReloadlyCredential.")
  String positionalName;

  @Option(names = "--name", paramLabel = "NAME", description = "The same as NAME.")
  String name;

  /** Resolves the name and the namespace, or stops with a usage error (exit 2). */
  void validate(CommandLine cmd) {
    if ((positionalName == null) == (name == null)) {
      throw new ParameterException(cmd, positionalName == null
          ? "name the ReloadlyCredential: NAME (or --name NAME)"
          : "give the name once: NAME or --name, not both");
    }
    if (positionalName != null) {
      name = positionalName;
    }
    if (namespace == null) {
      namespace = cluster.defaultNamespace();
    }
    requireLabel(cmd, "--namespace", namespace);
    if (name.length() > 253 || !name.matches(SUBDOMAIN)) {
      throw new ParameterException(cmd, "NAME: '" + name + "' is not a Kubernetes object name");
    }
  }

  /** "ReloadlyCredential NAMESPACE/NAME", for messages; after {@link #validate}. */
  String describe() {
    return "ReloadlyCredential " + namespace + "/" + name;
  }

  /** The credential as the API server has it; {@link SealCommand.Failure} when there is none. */
  ReloadlyCredential get(KubernetesClient client) {
    ReloadlyCredential current = client.resources(ReloadlyCredential.class)
        .inNamespace(namespace).withName(name).get();
    if (current == null) {
      throw new SealCommand.Failure(describe() + " not found");
    }
    return current;
  }

  /**
   * Sets one annotation with a JSON merge patch: other annotations and the spec stay untouched,
   * and no resourceVersion is needed, so a concurrent status write does not make it fail.
   */
  void annotate(KubernetesClient client, String key, String value) {
    ObjectNode patch = new ObjectMapper().createObjectNode();
    patch.putObject("metadata").putObject("annotations").put(key, value);
    client.resources(ReloadlyCredential.class).inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }

  static void requireLabel(CommandLine cmd, String flag, String value) {
    if (value.length() > 63 || !value.matches(LABEL)) {
      throw new ParameterException(cmd, flag + ": '" + value + "' is not a namespace name");
    }
  }
}
