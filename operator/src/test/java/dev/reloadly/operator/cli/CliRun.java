package dev.reloadly.operator.cli;

import dev.reloadly.operator.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real command tree with chosen command instances, capturing stdout and stderr. */
final class CliRun {
  private CliRun() {}

  /** What one invocation printed and returned. */
  record Result(int exitCode, String out, String err) {
    /** Everything the user would see, for checks that a secret appears nowhere. */
    String all() {
      return out + err;
    }
  }

  /**
   * Parses {@code args} from the root command, as Main does; picocli builds every other command
   * (and mixin) itself, so only the given instances carry test doubles.
   */
  static Result run(Object command, String... args) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type.isInstance(command) ? type.cast(command)
            : CommandLine.defaultFactory().create(type);
      }
    };
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main(), factory)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler(Main::failure)
        .execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
