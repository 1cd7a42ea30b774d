package dev.reloadly.operator.bench;

import dev.reloadly.operator.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An API server holding COUNT Secrets of SIZE bytes that no credential references, for measuring
 * what the operator's heap holds for Secrets it has nothing to do with (docs/performance.md,
 * "Heap of unrelated Secrets"). It runs in its own JVM so that its copy of the Secrets is not in
 * the operator's heap: it prints {@code READY <url>} and serves until killed. Not a JMH benchmark
 * and not a test; {@code operator/src/bench/heap-of-unrelated-secrets.sh} drives it.
 */
public final class UnrelatedSecretsServer {
  private static final String NAMESPACE = "apps";

  private UnrelatedSecretsServer() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 10 * 1024;
    EmbeddedApiServer server = EmbeddedApiServer.start();
    KubernetesClient client = server.newClient();
    server.installCrd(client);
    createSecrets(client, count, size);
    System.out.println("READY " + client.getConfiguration().getMasterUrl());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static void createSecrets(KubernetesClient client, int count, int size)
      throws Exception {
    byte[] bytes = new byte[size];
    new Random(1).nextBytes(bytes);
    String value = Base64.getEncoder().encodeToString(bytes);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> created = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Secret secret = new SecretBuilder()
          .withNewMetadata().withName("unrelated-" + i).withNamespace(NAMESPACE)
          .withLabels(Map.of("app", "unrelated")).endMetadata()
          .withData(Map.of("blob", value)).build();
      created.add(pool.submit(() -> client.resource(secret).create()));
    }
    for (Future<?> f : created) {
      f.get();
    }
    pool.shutdown();
  }
}
