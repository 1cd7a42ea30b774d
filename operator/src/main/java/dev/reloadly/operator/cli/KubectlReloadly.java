package dev.reloadly.operator.cli;

import dev.reloadly.operator.Main;
import dev.reloadly.operator.logging.LogFormat;
import dev.reloadly.operator.logging.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The kubectl plugin {@code kubectl reloadly}: the tools a cluster admin or an app team needs day
 * to day, with kubectl's conventions ({@code -n}, {@code -A}, {@code --context},
 * {@code --kubeconfig}, {@code -o}). The launcher script {@code kubectl-reloadly} runs this class
 * from the operator's jar.
 */
@Command(
    name = "kubectl reloadly",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Manage ReloadlyCredentials: seal client secrets for Git, see what the operator"
        + " reports, refresh tokens, report a compromise.",
    subcommands = {StatusCommand.class, SealCommand.class, FetchCertCommand.class,
        RefreshTokenCommand.class, CompromiseCommand.class, ReportCommand.class,
        CompletionCommand.class, CompletionCommand.Complete.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes:",
        "  0  done",
        "  1  the cluster or the credential said no (unreachable, not found, refused)",
        "  2  the command line is wrong (unknown flag, bad value)",
        "", "Examples:",
        "  kubectl reloadly status -n payments",
        "  kubectl reloadly seal shop --field clientSecret --fetch < secret.txt",
        "  kubectl reloadly refresh-token shop -n payments --wait",
        "  kubectl reloadly report -A",
        "", "Docs: docs/kubectl-plugin.md"})
public final class KubectlReloadly {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    LogSetup.apply(LogFormat.PLAIN);
    return commandLine().execute(args.length == 0 ? new String[] {"--help"} : args);
  }

  /** The command tree with the same error handling as the operator's own commands. */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new KubectlReloadly())
        .setParameterExceptionHandler(Main::badUsage)
        .setExecutionExceptionHandler(Main::failure);
    // The words being completed include other commands' options: they are data here.
    cmd.getSubcommands().get(CompletionCommand.Complete.NAME)
        .setUnmatchedOptionsArePositionalParams(true);
    return cmd;
  }
}
