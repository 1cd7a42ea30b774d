package dev.reloadly.operator;

import dev.reloadly.operator.cli.ClusterConnection;
import dev.reloadly.operator.cli.CompromiseCommand;
import dev.reloadly.operator.cli.ReportCommand;
import dev.reloadly.operator.cli.DemoCommand;
import dev.reloadly.operator.cli.FetchCertCommand;
import dev.reloadly.operator.cli.RefreshTokenCommand;
import dev.reloadly.operator.cli.StatusCommand;
import dev.reloadly.operator.cli.ResealCommand;
import dev.reloadly.operator.cli.RetireSealingKeyCommand;
import dev.reloadly.operator.cli.RotateKekCommand;
import dev.reloadly.operator.cli.RunCommand;
import dev.reloadly.operator.cli.SealCommand;
import dev.reloadly.operator.cli.SimulateCommand;
import dev.reloadly.operator.logging.LogFormat;
import dev.reloadly.operator.logging.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: `run` (the default) operates a cluster; the other subcommands are tools. */
@Command(
    name = "reloadly-credential-operator",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs the lifecycle of Reloadly API credentials in a Kubernetes cluster.",
    subcommands = {RunCommand.class, DemoCommand.class, SealCommand.class, ResealCommand.class,
        CompromiseCommand.class, ReportCommand.class, StatusCommand.class,
        RefreshTokenCommand.class, FetchCertCommand.class, RotateKekCommand.class,
        RetireSealingKeyCommand.class, SimulateCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    // Before anything logs: every command's log passes the redaction layer; `run` may then
    // switch to JSON.
    LogSetup.apply(LogFormat.PLAIN);
    String[] effective = args.length == 0 ? new String[] {"run"} : args;
    return new CommandLine(new Main())
        .setParameterExceptionHandler(Main::badUsage)
        .setExecutionExceptionHandler(Main::failure)
        .execute(effective);
  }

  /** A cluster that cannot be used is one line, exit 1; anything else keeps its stack trace. */
  public static int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof ClusterConnection.Failure) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    }
    throw e;
  }

  /** Bad configuration: one clear line, then the usage hint, exit 2. */
  public static int badUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("error: " + e.getMessage());
    cmd.getErr().println("see: " + cmd.getCommandSpec().qualifiedName() + " --help");
    return 2;
  }

  /** Version from the jar manifest. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"reloadly-credential-operator " + (version == null ? "dev" : version)};
    }
  }
}
