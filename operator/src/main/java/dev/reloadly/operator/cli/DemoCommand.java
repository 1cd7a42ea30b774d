package dev.reloadly.operator.cli;

import dev.reloadly.operator.demo.DemoRunner;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `demo`: the operator's main job against an embedded API server, no cluster needed. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the operator against an embedded Kubernetes API server with the samples,"
        + " print what happened, exit 0 when every sample converged.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--timeout", defaultValue = "60",
      description = "Seconds to wait for the samples to converge (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    return new DemoRunner(System.out, Duration.ofSeconds(timeoutSeconds)).run();
  }
}
