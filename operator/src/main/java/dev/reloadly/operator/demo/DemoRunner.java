package dev.reloadly.operator.demo;

import dev.reloadly.operator.OperatorRuntime;
import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.SealingKeyRing;
import dev.reloadly.operator.keys.OperatorKeyStore;
import dev.reloadly.operator.lifecycle.VersionState;
import dev.reloadly.operator.simulator.ReloadlySimulator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Runs the operator's main job without a cluster: an embedded API server, a local Reloadly
 * simulator, the committed CRD and samples, the real operator, then a rotation; prints what
 * happened (versions and token expiries, never a secret or a token).
 */
public final class DemoRunner {
  /** Every file in samples/, in the order the demo applies them (a test keeps this complete). */
  public static final List<String> SAMPLES = List.of("sandbox-secretref.yaml", "live-sealed.yaml");
  public static final String NAMESPACE = "payments";
  static final String DEMO_KEYS = "demo/demo-sealing-keys.json";
  /** The placeholder credentials of the samples, which the simulator accepts. */
  static final Map<String, String> SAMPLE_CREDENTIALS = Map.of(
      "sandbox-demo-client-id", "sandbox-demo-client-secret",
      "live-demo-client-id", "live-demo-client-secret");
  static final String ROTATED = "airtime-sandbox";
  /** The sample's Deployment that reads the rotated credential's target Secret. */
  static final String CONSUMER = "checkout";

  private final PrintStream out;
  private final Duration timeout;
  private final boolean verbose;

  public DemoRunner(PrintStream out, Duration timeout) {
    this(out, timeout, false);
  }

  /** With {@code verbose}, the embedded API server's request log and the operator's log show. */
  public DemoRunner(PrintStream out, Duration timeout, boolean verbose) {
    this.out = out;
    this.timeout = timeout;
    this.verbose = verbose;
  }

  /** Returns 0 when every sample converged and the rotation was served. */
  public int run() throws InterruptedException {
    out.println("reloadly-credential-operator demo");
    out.println("Running against an EMBEDDED Kubernetes API server (the Fabric8 mock server in CRUD"
        + " mode) and a LOCAL Reloadly simulator, both inside this process. No real cluster and no"
        + " real Reloadly endpoint is touched.");
    Clock clock = Clock.systemUTC();
    try (DemoLogging logging = DemoLogging.quietUnless(verbose);
        EmbeddedApiServer server = EmbeddedApiServer.start();
        KubernetesClient client = server.newClient();
        ReloadlySimulator reloadly = new ReloadlySimulator(clock).start()) {
      SAMPLE_CREDENTIALS.forEach(reloadly::allowCredential);
      server.installCrd(client);
      step("installed CRD " + ReloadlyCredential.CRD_NAME + " from crds/");
      OperatorConfig config = OperatorConfig.defaults(OperatorConfig.DEFAULT_NAMESPACE)
          .withMetricsPort(0).withAuthUrl(reloadly.url());
      // As on a real cluster, where `run` refuses to start without it.
      createNamespace(client, config.namespace());
      new OperatorKeyStore(client, config.namespace(), clock, new SecureRandom())
          .seed(demoSealingKeys());
      step("seeded the operator's keys with the demo sealing key of samples/keys/");
      createNamespace(client, NAMESPACE);
      List<String> names = new ArrayList<>();
      for (String sample : SAMPLES) {
        for (HasMetadata item : apply(client, sample)) {
          if (ReloadlyCredential.KIND.equals(item.getKind())) {
            names.add(item.getMetadata().getName());
          }
        }
        step("applied samples/" + sample);
      }
      try (KubernetesClient operatorClient = server.newClient();
          OperatorRuntime runtime = OperatorRuntime.start(operatorClient, config, clock)) {
        step("operator started; waiting up to " + timeout.toSeconds() + "s for convergence");
        boolean converged = await(() -> names.stream().allMatch(n -> isReady(get(client, n))));
        out.println();
        out.print(DemoTable.render(names.stream().map(n -> get(client, n)).toList(),
            name -> targetAnnotations(client, name)));
        out.println(DemoTable.LEGEND);
        out.println();
        if (!converged) {
          out.println("NOT CONVERGED: " + DemoTable.notReady(
              names.stream().map(n -> get(client, n)).toList()));
          return 1;
        }
        return rotate(client, reloadly);
      }
    }
  }

  /** Rotates the sandbox sample as a person would: new secret in the portal, then the source. */
  private int rotate(KubernetesClient client, ReloadlySimulator reloadly)
      throws InterruptedException {
    String before = servedVersion(client, ROTATED);
    Map<String, String> tokenBefore = targetAnnotations(client, ROTATED);
    // A token's expiry is in whole seconds: rotating within the second of the first token would
    // print the same expiry, which reads as if no token had been minted.
    Instant firstIssued = Optional.ofNullable(tokenBefore.get(ApiLabels.TOKEN_ISSUED_AT))
        .map(Instant::parse).orElse(Instant.EPOCH);
    await(() -> Instant.now().isAfter(firstIssued.plusSeconds(1)));
    step("rotating " + ROTATED + ": a new client secret is issued in the (simulated) portal and"
        + " the source Secret is updated");
    reloadly.rotateCredential("sandbox-demo-client-id", "sandbox-demo-client-secret-2");
    Secret source = client.secrets().inNamespace(NAMESPACE).withName("reloadly-sandbox-source").get();
    Map<String, String> data = new HashMap<>(source.getData());
    data.put("client_secret", base64("sandbox-demo-client-secret-2"));
    client.resource(new SecretBuilder(source).withData(data).build()).update();
    // Ready was already True before the rotation: wait until the status, written after the
    // target, also shows the new version as current, or the printout below shows the old one.
    boolean rotated = await(() -> {
      String now = servedVersion(client, ROTATED);
      ReloadlyCredential credential = get(client, ROTATED);
      return now != null && !now.equals(before) && isReady(credential)
          && credential.getStatus().getVersions().stream().anyMatch(v -> now.equals(
              v.getFingerprint()) && VersionState.CURRENT.wireName().equals(v.getState()));
    });
    String after = servedVersion(client, ROTATED);
    // The consumer is restarted once for the new version, after consumers.delay; the demo then
    // plays its controller, and the operator sees it healthy.
    boolean restarted = await(() -> after != null && after.equals(restartedFor(client)));
    if (restarted) {
      rolledOut(client, client.apps().deployments().inNamespace(NAMESPACE).withName(CONSUMER)
          .get());
    }
    boolean healthy = restarted && await(() -> get(client, ROTATED).getStatus().getConditions()
        .stream().anyMatch(c -> Conditions.ROLLOUT_COMPLETE.equals(c.getType())
            && Conditions.TRUE.equals(c.getStatus())
            && Conditions.ROLLED_OUT.equals(c.getReason())));
    ReloadlyCredential credential = get(client, ROTATED);
    out.println();
    out.println("Rotation of " + ROTATED + ":");
    out.println("  served version   " + DemoTable.shortVersion(before) + " -> "
        + DemoTable.shortVersion(servedVersion(client, ROTATED)));
    Map<String, String> tokenAfter = targetAnnotations(client, ROTATED);
    out.println("  token issued     " + DemoTable.time(tokenBefore.get(ApiLabels.TOKEN_ISSUED_AT))
        + " -> " + DemoTable.time(tokenAfter.get(ApiLabels.TOKEN_ISSUED_AT))
        + "  (a new token, minted with the new secret)");
    out.println("  token expires    " + DemoTable.time(tokenBefore.get(ApiLabels.TOKEN_EXPIRES_AT))
        + " -> " + DemoTable.time(tokenAfter.get(ApiLabels.TOKEN_EXPIRES_AT)));
    out.println("  consumer         Deployment/" + CONSUMER + (restarted ? " restarted once for "
        + DemoTable.shortVersion(restartedFor(client)) + " (pod-template annotation "
        + ApiLabels.RESTARTED_FOR + ")" + (healthy ? ", then healthy" : ", NOT healthy in time")
        : " NOT restarted in time"));
    credential.getStatus().getVersions().forEach(v -> out.println("  version " + DemoTable
        .shortVersion(v.getFingerprint()) + "  " + v.getState()));
    credential.getStatus().getConditions().forEach(c -> out.println("  " + c.getType() + "="
        + c.getStatus() + " (" + c.getReason() + ")"));
    out.println();
    if (!rotated) {
      out.println("NOT ROTATED: the new version was not served in time");
      return 1;
    }
    if (!healthy) {
      out.println("NOT ROLLED OUT: Deployment/" + CONSUMER + " was not restarted and healthy in"
          + " time");
      return 1;
    }
    out.println("The previous version stays valid for the grace period (1h in the sample), counted"
        + " from when the consumer was healthy on the new one; then it is retired.");
    out.println("All credentials converged and the rotation was served. Secrets and tokens"
        + " appear only in the target Secrets, never in this output.");
    return 0;
  }

  private void step(String message) {
    out.println("- " + message);
  }

  private boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /**
   * A sample attests the date its portal password was last changed; a fixed date would age past
   * the 90 days of guideline C2 and hold the live sample back (enforcement block). The demo runs
   * as if it was changed today.
   */
  private static void freshenAttestation(ReloadlyCredential credential) {
    Optional.ofNullable(credential.getSpec().getCompliance())
        .map(c -> c.getAttestations())
        .filter(a -> a.getPortalPasswordRotatedAt() != null)
        .ifPresent(a -> a.setPortalPasswordRotatedAt(
            java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString()));
  }

  /** The revision the operator last restarted the demo's consumer for. */
  private static String restartedFor(KubernetesClient client) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(CONSUMER).get();
    return d == null || d.getSpec().getTemplate().getMetadata().getAnnotations() == null ? null
        : d.getSpec().getTemplate().getMetadata().getAnnotations().get(ApiLabels.RESTARTED_FOR);
  }

  /** Plays the Deployment controller: the current generation observed, every replica ready. */
  private static void rolledOut(KubernetesClient client, Deployment deployment) {
    int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
    deployment.setStatus(new DeploymentStatusBuilder()
        .withObservedGeneration(Optional.ofNullable(deployment.getMetadata().getGeneration())
            .orElse(1L))
        .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
        .withAvailableReplicas(replicas).build());
    deployment.getMetadata().setResourceVersion(null);
    client.resource(deployment).update();
  }

  private static ReloadlyCredential get(KubernetesClient client, String name) {
    return client.resources(ReloadlyCredential.class).inNamespace(NAMESPACE).withName(name).get();
  }

  private static String servedVersion(KubernetesClient client, String name) {
    return targetAnnotations(client, name).get(ApiLabels.VERSION);
  }

  /** The annotations of a credential's target Secret: served version and token times. */
  private static Map<String, String> targetAnnotations(KubernetesClient client, String name) {
    ReloadlyCredential credential = get(client, name);
    if (credential == null || credential.getStatus() == null
        || credential.getStatus().getTargetSecretName() == null) {
      return Map.of();
    }
    Secret target = client.secrets().inNamespace(NAMESPACE)
        .withName(credential.getStatus().getTargetSecretName()).get();
    return Optional.ofNullable(target).map(t -> t.getMetadata().getAnnotations())
        .orElse(Map.of());
  }

  private static void createNamespace(KubernetesClient client, String name) {
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  static boolean isReady(ReloadlyCredential credential) {
    return credential != null && credential.getStatus() != null
        && Conditions.find(credential.getStatus().getConditions(), Conditions.READY)
            .map(Condition::getStatus).map(Conditions.TRUE::equals).orElse(false);
  }

  private static SealingKeyRing demoSealingKeys() {
    try (InputStream in = EmbeddedApiServer.resource(DEMO_KEYS)) {
      return SealingKeyRing.parseSecret(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
        if (item instanceof ReloadlyCredential credential) {
          freshenAttestation(credential);
        }
        HasMetadata stored = client.resource(item).create();
        if (stored instanceof Deployment deployment) {
          // The embedded server runs no controllers: the demo plays the Deployment controller.
          rolledOut(client, deployment);
        }
        created.add(stored);
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
    secret.getStringData().forEach((k, v) -> data.put(k, base64(v)));
    secret.setData(data);
    secret.setStringData(null);
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
