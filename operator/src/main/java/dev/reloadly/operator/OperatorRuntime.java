package dev.reloadly.operator;

import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.KekProvider;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.events.EventRecorder;
import dev.reloadly.operator.keys.KekProviders;
import dev.reloadly.operator.keys.KeyHolder;
import dev.reloadly.operator.keys.KeyMaintenance;
import dev.reloadly.operator.keys.OperatorKeyStore;
import dev.reloadly.operator.lifecycle.CredentialLifecycle;
import dev.reloadly.operator.lifecycle.ValidationBackoff;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.metrics.MetricsServer;
import dev.reloadly.operator.reconciler.OperatorFactory;
import dev.reloadly.operator.reconciler.ReloadlyCredentialReconciler;
import dev.reloadly.operator.reconciler.TargetServing;
import dev.reloadly.operator.source.CredentialSourceReader;
import dev.reloadly.operator.source.SealedValueOpener;
import dev.reloadly.operator.token.Backoff;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenRequestLimiter;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: wires every concern and starts the operator, for run, demo and tests. */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
  /** Key maintenance looks again at least this often, in case a run failed. */
  static final Duration MAINTENANCE_CEILING = Duration.ofHours(1);
  static final Duration UNSETTLED_RETRY = Duration.ofMinutes(1);

  private final Operator operator;
  private final MetricsServer metrics;
  private final KeyMaintenance maintenance;
  private final KeyHolder keys;
  private final TokenRequestLimiter limiter;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private SharedIndexInformer<Secret> keySecretWatch;
  private KekProvider kekProvider;

  private OperatorRuntime(Operator operator, MetricsServer metrics, KeyMaintenance maintenance,
      KeyHolder keys, TokenRequestLimiter limiter, ScheduledExecutorService scheduler, Clock clock) {
    this.operator = operator;
    this.metrics = metrics;
    this.maintenance = maintenance;
    this.keys = keys;
    this.limiter = limiter;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  public static OperatorRuntime start(KubernetesClient client, OperatorConfig config, Clock clock) {
    return start(client, config, clock,
        new HttpReloadlyTokenClient(config.reloadlyAuthUrl(), clock));
  }

  /** Starts with the given token client (tests pass one wired to a simulator). */
  public static OperatorRuntime start(KubernetesClient client, OperatorConfig config, Clock clock,
      ReloadlyTokenClient tokenClient) {
    SecureRandom random = new SecureRandom();
    // First, before anything listens or is served: a KMS plugin that is down stops the start here.
    KekProvider kekProvider = KekProviders.open(config.kek(), clock, random);
    try {
      OperatorRuntime runtime = start(client, config, clock, tokenClient, random, kekProvider);
      runtime.kekProvider = kekProvider;
      return runtime;
    } catch (RuntimeException e) {
      kekProvider.close();
      throw e;
    }
  }

  private static OperatorRuntime start(KubernetesClient client, OperatorConfig config, Clock clock,
      ReloadlyTokenClient tokenClient, SecureRandom random, KekProvider kekProvider) {
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    MetricsServer metrics = null;
    if (config.metricsPort() > 0) {
      try {
        metrics = MetricsServer.start(registry, config.metricsPort());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve metrics on port " + config.metricsPort(), e);
      }
    }
    OperatorKeyStore keyStore =
        new OperatorKeyStore(client, config.namespace(), clock, random, kekProvider);
    KeyHolder keys = new KeyHolder(keyStore.loadOrCreate());

    TokenRequestLimiter limiter =
        new TokenRequestLimiter(config.maxConcurrentTokenRequests(), Duration.ofMillis(500));
    limiter.bindTo(registry);
    ReloadlyTokenClient tokens = limiter.limit(tokenClient);
    ReloadlyCredentialReconciler reconciler = new ReloadlyCredentialReconciler(
        new CredentialSourceReader(new SealedValueOpener(new Sealer(random),
            () -> keys.get().sealing())),
        new CredentialLifecycle(tokens, new ValidationBackoff(Backoff.defaults())),
        new TargetServing(tokens, new ValidationBackoff(Backoff.defaults())),
        keys, new EventRecorder(client, clock), new CredentialMetrics(registry), clock);
    KeyMaintenance maintenance = new KeyMaintenance(client, keyStore, keys, clock, random,
        config.sealingKeyRenewal(), config.kekRotation(), reconciler::sealingKeyRenewed);
    Operator operator = OperatorFactory.create(client, config, reconciler);
    operator.start();

    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "key-maintenance");
      t.setDaemon(true);
      return t;
    });
    OperatorRuntime runtime =
        new OperatorRuntime(operator, metrics, maintenance, keys, limiter, scheduler, clock);
    // A first pass at once finishes a re-wrap that a stopped operator left half done.
    runtime.scheduleMaintenance(Duration.ZERO);
    runtime.watchRotationRequests(client, config.namespace());
    LOG.info("operator started: watching {}, keys in namespace {}, sealing key {}, KEKs {}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(),
        config.namespace(), keys.get().sealing().newest().keyId(), kekProvider.describe());
    return runtime;
  }

  public KeyMaintenance maintenance() {
    return maintenance;
  }

  public KeyHolder keys() {
    return keys;
  }

  public TokenRequestLimiter limiter() {
    return limiter;
  }

  /**
   * Runs key maintenance after {@code delay}, then again at the exact moment the next key is due
   * (at least hourly), or in a minute while a re-wrap is unfinished or a run failed, so a failing
   * run never spins.
   */
  private void scheduleMaintenance(Duration delay) {
    scheduler.schedule(() -> {
      Duration next;
      try {
        next = maintenance.runOnce() ? untilNextKeyDue() : UNSETTLED_RETRY;
      } catch (RuntimeException e) {
        LOG.warn("key maintenance failed ({}); trying again in a minute",
            e.getClass().getSimpleName());
        next = UNSETTLED_RETRY;
      }
      scheduleMaintenance(next);
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Watches only the operator's key Secret, by name, so `rotate-kek` takes effect at once rather
   * than at the next scheduled pass.
   */
  private void watchRotationRequests(KubernetesClient client, String namespace) {
    keySecretWatch = client.secrets().inNamespace(namespace).withName(OperatorKeyStore.SECRET)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Secret secret) {
            onUpdate(null, secret);
          }

          @Override
          public void onUpdate(Secret previous, Secret secret) {
            if (secret.getMetadata().getAnnotations() != null
                && secret.getMetadata().getAnnotations().get(OperatorKeyStore.ROTATE_KEK) != null) {
              scheduler.execute(() -> {
                try {
                  maintenance.runOnce();
                } catch (RuntimeException e) {
                  LOG.warn("requested KEK rotation failed ({}); the scheduled pass retries",
                      e.getClass().getSimpleName());
                }
              });
            }
          }

          @Override
          public void onDelete(Secret secret, boolean unknownFinalState) {
            LOG.warn("the operator's key Secret was deleted; restart the operator after"
                + " restoring it from backup");
          }
        });
  }

  private Duration untilNextKeyDue() {
    Duration untilDue = Duration.between(clock.instant(), maintenance.nextDue());
    if (untilDue.isNegative()) {
      return Duration.ZERO;
    }
    return untilDue.compareTo(MAINTENANCE_CEILING) > 0 ? MAINTENANCE_CEILING : untilDue;
  }

  @Override
  public void close() {
    if (keySecretWatch != null) {
      keySecretWatch.close();
    }
    scheduler.shutdownNow();
    operator.stop();
    if (metrics != null) {
      metrics.close();
    }
    if (kekProvider != null) {
      kekProvider.close();
    }
  }

}
