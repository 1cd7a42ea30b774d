package dev.reloadly.operator.cli;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.cli.SealCommand.Failure;
import dev.reloadly.operator.lifecycle.ReportReason;
import dev.reloadly.operator.lifecycle.VersionState;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `compromise`: reports a credential's served version as compromised through its annotation. */
@Command(name = "compromise", mixinStandardHelpOptions = true,
    description = {"Report that the version a ReloadlyCredential serves is compromised: sets"
        + " annotation " + ApiLabels.COMPROMISED + " to the reason. The operator withdraws the"
        + " token and credentials from the target Secret at once and never serves that version"
        + " again.",
        "Then rotate the client secret in the Reloadly portal and re-seal it; see"
            + " " + CompromiseCommand.RUNBOOK + "."})
public final class CompromiseCommand implements Callable<Integer> {
  static final String RUNBOOK = "docs/runbooks/compromise.md";

  @Spec CommandSpec spec;

  @Mixin CredentialOptions credential;

  @Option(names = "--reason", required = true, paramLabel = "TEXT",
      description = "What happened, one line (e.g. \"secret printed in CI log 2024-05-02\")."
          + " Each distinct reason is one report.")
  String reason;

  private final Supplier<KubernetesClient> clients;

  public CompromiseCommand() {
    this(null);
  }

  /** For tests: the client to report through. */
  CompromiseCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    credential.validate(cmd);
    String text = validReason(cmd);
    String where = credential.describe();
    PrintWriter out = cmd.getOut();
    try (KubernetesClient client = credential.cluster.or(clients).get()) {
      ReloadlyCredential current = credential.get(client);
      String previous = Optional.ofNullable(current.getMetadata()).map(ObjectMeta::getAnnotations)
          .map(a -> a.get(ApiLabels.COMPROMISED)).orElse(null);
      if (text.equals(previous)) {
        out.println(where + " is already reported compromised with this reason; nothing changed."
            + " Runbook: " + RUNBOOK);
        return 0;
      }
      // The operator matches incidents by reason: a reused reason would be silently ignored.
      if (current.getStatus() != null && current.getStatus().getIncidents().stream()
          .anyMatch(i -> text.equals(i.getReason()))) {
        throw new ParameterException(cmd, "an earlier incident of " + where + " has this reason,"
            + " so the operator would ignore it; give a distinct --reason (add the date)");
      }
      credential.annotate(client, ApiLabels.COMPROMISED, text);
      if (!servesAVersion(current)) {
        // With nothing served, the operator applies the report to every pending version.
        cmd.getErr().println("note: the status shows no current version; the operator marks every"
            + " pending version compromised instead, so it is never promoted or served. A version"
            + " the source offers after this report is not affected.");
      }
      out.println(where + ": reported compromised (annotation " + ApiLabels.COMPROMISED
          + (previous == null ? " set" : " replaced") + ").");
      out.println("The operator now removes the served version's token and credentials from the"
          + " target Secret and will never serve that version again.");
      out.println("Next: rotate the client secret in the Reloadly portal, re-seal it (seal --fetch"
          + " " + credential.name + " -n " + credential.namespace
          + " --field clientSecret -o yaml < new-secret.txt) and follow " + RUNBOOK + ".");
      out.flush();
      return 0;
    } catch (Failure e) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    } catch (KubernetesClientException e) {
      cmd.getErr().println("error: " + (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND
          ? where + " not found" : "cannot report " + where + ": " + e.getMessage()));
      return 1;
    }
  }

  private String validReason(CommandLine cmd) {
    String text = reason.strip();
    ReportReason.problem(text).ifPresent(problem -> {
      throw new ParameterException(cmd, "--reason " + problem);
    });
    return text;
  }

  private static boolean servesAVersion(ReloadlyCredential credential) {
    return credential.getStatus() != null && credential.getStatus().getVersions().stream()
        .anyMatch(v -> VersionState.CURRENT.wireName().equals(v.getState()));
  }
}
