package dev.reloadly.operator.cli;

import dev.reloadly.operator.demo.DemoRunner;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `demo`: the operator's main job against an embedded API server, no cluster needed. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the operator against an embedded Kubernetes API server with the samples,"
        + " print what happened, exit 0 when every sample converged.")
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--timeout", defaultValue = "60",
      description = "Seconds to wait for the samples to converge (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--verbose",
      description = "Also print the embedded API server's request log and the operator's log.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(),
          "--timeout: must be at least 1 second, got " + timeoutSeconds);
    }
    return new DemoRunner(System.out, Duration.ofSeconds(timeoutSeconds), verbose).run();
  }
}
