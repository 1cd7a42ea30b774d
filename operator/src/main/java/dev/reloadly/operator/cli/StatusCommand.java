package dev.reloadly.operator.cli;

import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.cli.SealCommand.Failure;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `status`: what the operator last reported about credentials, as people read it: one line each
 * (like {@code kubectl get}), or, for one credential, its conditions, versions, token, consumers,
 * rollout, egress and compliance checks. It reads the status only; it never asks the operator.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show what the operator reports about ReloadlyCredentials: with NAME, every"
        + " part of one credential's status; without, one line per credential."},
    footer = {"", "Examples:",
        "  kubectl reloadly status -n payments",
        "  kubectl reloadly status shop -n payments",
        "  kubectl reloadly status -A -o json"})
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
      description = "One ReloadlyCredential; without it, every one in the namespace.")
  String name;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Namespace (default: the context's namespace).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"},
      description = "Every namespace (not with NAME).")
  boolean all;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). json and yaml print"
          + " the summary fields and the whole status.")
  OutputFormat output;

  private final Supplier<KubernetesClient> clients;
  private final Clock clock;

  public StatusCommand() {
    this(null, Clock.systemUTC());
  }

  /** For tests: the client to read through and the clock that relative times count from. */
  StatusCommand(Supplier<KubernetesClient> clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    if (all && (namespace != null || name != null)) {
      throw new ParameterException(cmd, "--all-namespaces goes with neither --namespace nor NAME");
    }
    String ns = all ? null : namespace != null ? namespace : cluster.defaultNamespace();
    PrintWriter out = cmd.getOut();
    try (KubernetesClient client = cluster.or(clients).get()) {
      List<ReloadlyCredential> credentials = read(client, ns);
      if (name != null && credentials.isEmpty()) {
        throw new Failure("ReloadlyCredential " + ns + "/" + name + " not found");
      }
      StatusView view = new StatusView(clock.instant());
      List<Object> summaries = credentials.stream().map(view::summary).map(s -> (Object) s)
          .toList();
      Object structured = name != null ? summaries.get(0) : summaries;
      if (!output.printStructured(out, client.getKubernetesSerialization(), structured)) {
        if (name != null) {
          view.describe(out, credentials.get(0));
        } else if (credentials.isEmpty()) {
          out.println(all ? "No ReloadlyCredentials found."
              : "No ReloadlyCredentials found in namespace " + ns + ".");
        } else {
          view.table(out, credentials, all);
        }
      }
      out.flush();
      return 0;
    } catch (Failure e) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    } catch (KubernetesClientException e) {
      cmd.getErr().println("error: cannot read ReloadlyCredentials"
          + (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN ? " (HTTP 403: not allowed)"
              : " (HTTP " + e.getCode() + ")"));
      return 1;
    }
  }

  private List<ReloadlyCredential> read(KubernetesClient client, String ns) {
    var resources = client.resources(ReloadlyCredential.class);
    if (name != null) {
      ReloadlyCredential one = resources.inNamespace(ns).withName(name).get();
      return one == null ? List.of() : List.of(one);
    }
    List<ReloadlyCredential> list = new ArrayList<>(ns == null
        ? resources.inAnyNamespace().list().getItems()
        : resources.inNamespace(ns).list().getItems());
    list.sort(Comparator.comparing((ReloadlyCredential c) -> c.getMetadata().getNamespace())
        .thenComparing(c -> c.getMetadata().getName()));
    return list;
  }
}
