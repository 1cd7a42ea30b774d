package dev.reloadly.operator.cli;

import dev.reloadly.operator.api.v1alpha1.ComplianceCheckStatus;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.cli.SealCommand.Failure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `report`: the compliance of the credentials of a namespace or of the whole cluster. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Print the compliance of ReloadlyCredentials with Reloadly's security"
        + " guidelines, as the operator last reported it in their status (docs/compliance.md)."})
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "The credentials of this namespace (default: the context's namespace).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "The credentials of every namespace.")
  boolean all;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  private final Supplier<KubernetesClient> clients;

  public ReportCommand() {
    this(null);
  }

  /** For tests: the client to read through. */
  ReportCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    if (all && namespace != null) {
      throw new ParameterException(cmd, "give --namespace NAMESPACE or --all-namespaces, not both");
    }
    if (!all && namespace == null) {
      namespace = cluster.defaultNamespace();
    }
    PrintWriter out = cmd.getOut();
    try (KubernetesClient client = cluster.or(clients).get()) {
      List<ReloadlyCredential> credentials = new ArrayList<>(all
          ? client.resources(ReloadlyCredential.class).inAnyNamespace().list().getItems()
          : client.resources(ReloadlyCredential.class).inNamespace(namespace).list().getItems());
      credentials.sort(Comparator.comparing((ReloadlyCredential c) -> c.getMetadata()
          .getNamespace()).thenComparing(c -> c.getMetadata().getName()));
      List<Map<String, Object>> rows = credentials.stream().map(ReportCommand::row).toList();
      if (!output.printStructured(out, client.getKubernetesSerialization(), rows)) {
        table(out, rows);
      }
      out.flush();
      return 0;
    } catch (Failure e) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    } catch (KubernetesClientException e) {
      cmd.getErr().println("error: cannot list ReloadlyCredentials (HTTP " + e.getCode() + ")");
      return 1;
    }
  }

  private static Map<String, Object> row(ReloadlyCredential c) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("namespace", c.getMetadata().getNamespace());
    row.put("name", c.getMetadata().getName());
    boolean reported = c.getStatus() != null && c.getStatus().getCompliance() != null;
    row.put("score", reported ? c.getStatus().getCompliance().getScore() : null);
    row.put("compliant", c.getStatus() == null ? null : Conditions.find(
        c.getStatus().getConditions(), Conditions.COMPLIANT).map(Condition::getStatus)
        .orElse(null));
    row.put("checks", reported ? c.getStatus().getCompliance().getChecks() : List.of());
    return row;
  }

  @SuppressWarnings("unchecked")
  private static void table(PrintWriter out, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      out.println("No ReloadlyCredentials found.");
      return;
    }
    String format = "%-16s %-24s %-7s %-28s %-6s %s%n";
    out.printf(format, "NAMESPACE", "NAME", "ID", "CHECK", "RESULT", "MESSAGE");
    for (Map<String, Object> row : rows) {
      List<ComplianceCheckStatus> checks = (List<ComplianceCheckStatus>) row.get("checks");
      if (checks.isEmpty()) {
        out.printf(format, row.get("namespace"), row.get("name"), "-", "-", "-",
            "not reported yet");
        continue;
      }
      for (ComplianceCheckStatus check : checks) {
        out.printf(format, row.get("namespace"), row.get("name"), check.getId(), check.getName(),
            check.getResult(), check.getMessage());
      }
      out.printf(format, row.get("namespace"), row.get("name"), "", "SCORE", "",
          row.get("score") + " (Compliant=" + row.get("compliant") + ")");
    }
  }
}
