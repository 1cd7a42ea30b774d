package dev.reloadly.operator.cli;

import dev.reloadly.operator.simulator.ReloadlySimulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `simulate`: the Reloadly simulator as a process, for end-to-end tests only. The chart runs it
 * as a sidecar of the operator when {@code testing.reloadlySimulator.enabled} is set, so the
 * operator reaches it on loopback (plain http is allowed only there). Never for production: it
 * issues tokens for whatever it is told to accept.
 */
@Command(name = "simulate", hidden = true, mixinStandardHelpOptions = true,
    description = "Serve a Reloadly token endpoint simulator on 127.0.0.1 (end-to-end tests only).")
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "8089", description = "Loopback port. Default: 8089.")
  int port;

  @Option(names = "--accept", required = true, paramLabel = "CLIENT_ID=SECRET",
      description = "A client ID and a secret to accept; repeat the client ID to accept several"
          + " secrets for it (the test values of a rotation).")
  List<String> accept = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    Map<String, List<String>> accepted = new LinkedHashMap<>();
    for (String pair : accept) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new ParameterException(spec.commandLine(),
            "--accept: expected CLIENT_ID=SECRET, got a value without '=' or with an empty side");
      }
      accepted.computeIfAbsent(pair.substring(0, eq), id -> new ArrayList<>())
          .add(pair.substring(eq + 1));
    }
    ReloadlySimulator simulator = new ReloadlySimulator();
    accepted.forEach((id, secrets) -> {
      simulator.allowCredential(id, secrets.get(0));
      secrets.stream().skip(1).forEach(secret -> simulator.alsoAccept(id, secret));
    });
    simulator.start(port);
    spec.commandLine().getOut().println("Reloadly simulator on " + simulator.url() + " for "
        + accepted.size() + " client ID(s)");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      simulator.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }
}
