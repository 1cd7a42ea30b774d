package dev.reloadly.operator.demo;

import dev.reloadly.operator.OperatorRuntime;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the operator's main job without a cluster: an embedded API server, the committed CRD and
 * samples, the real operator, and a table of what happened.
 */
public final class DemoRunner {
  /** Every file in samples/, in the order the demo applies them (a test keeps this complete). */
  public static final List<String> SAMPLES = List.of("sandbox-secretref.yaml");
  public static final String NAMESPACE = "payments";

  private final PrintStream out;
  private final Duration timeout;

  public DemoRunner(PrintStream out, Duration timeout) {
    this.out = out;
    this.timeout = timeout;
  }

  /** Returns 0 when every sample credential converged to Ready=True. */
  public int run() throws InterruptedException {
    out.println("reloadly-credential-operator demo");
    out.println("Running against an EMBEDDED Kubernetes API server (the Fabric8 mock server in CRUD"
        + " mode, inside this process). No real cluster is touched.");
    try (EmbeddedApiServer server = EmbeddedApiServer.start();
        KubernetesClient client = server.newClient()) {
      server.installCrd(client);
      out.println("- installed CRD " + ReloadlyCredential.CRD_NAME + " from crds/");
      client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
          .build()).create();
      List<String> names = new ArrayList<>();
      for (String sample : SAMPLES) {
        for (HasMetadata item : apply(client, sample)) {
          if (ReloadlyCredential.KIND.equals(item.getKind())) {
            names.add(item.getMetadata().getName());
          }
        }
        out.println("- applied samples/" + sample);
      }
      OperatorConfig config = OperatorConfig.defaults("reloadly-system").withMetricsPort(0);
      try (KubernetesClient operatorClient = server.newClient();
          OperatorRuntime runtime = OperatorRuntime.start(operatorClient, config, Clock.systemUTC())) {
        out.println("- operator started; waiting up to " + timeout.toSeconds() + "s for convergence");
        boolean converged = awaitConvergence(client, names);
        List<ReloadlyCredential> credentials = names.stream()
            .map(n -> client.resources(ReloadlyCredential.class).inNamespace(NAMESPACE)
                .withName(n).get())
            .toList();
        out.println();
        out.print(DemoTable.render(credentials));
        out.println();
        if (!converged) {
          out.println("NOT CONVERGED: " + DemoTable.notReady(credentials));
          return 1;
        }
        out.println("All " + names.size() + " credential(s) converged.");
        return 0;
      }
    }
  }

  private boolean awaitConvergence(KubernetesClient client, List<String> names)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      boolean all = names.stream().allMatch(n -> isReady(client.resources(ReloadlyCredential.class)
          .inNamespace(NAMESPACE).withName(n).get()));
      if (all) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  static boolean isReady(ReloadlyCredential credential) {
    return credential != null && credential.getStatus() != null
        && Conditions.find(credential.getStatus().getConditions(), Conditions.READY)
            .map(Condition::getStatus).map(Conditions.TRUE::equals).orElse(false);
  }

  private static List<HasMetadata> apply(KubernetesClient client, String sample) {
    try (InputStream in = EmbeddedApiServer.resource("samples/" + sample)) {
      List<HasMetadata> created = new ArrayList<>();
      for (HasMetadata item : client.load(in).items()) {
        item.getMetadata().setNamespace(Optional.ofNullable(item.getMetadata().getNamespace())
            .orElse(NAMESPACE));
        if (item instanceof Secret secret) {
          convertStringData(secret);
        }
        created.add(client.resource(item).create());
      }
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a real API server does on write, and the embedded one does not. */
  private static void convertStringData(Secret secret) {
    if (secret.getStringData() == null) {
      return;
    }
    Map<String, String> data = new HashMap<>(Optional.ofNullable(secret.getData()).orElse(Map.of()));
    secret.getStringData().forEach((k, v) -> data.put(k,
        Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    secret.setData(data);
    secret.setStringData(null);
  }
}
