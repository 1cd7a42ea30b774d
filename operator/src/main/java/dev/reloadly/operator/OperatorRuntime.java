package dev.reloadly.operator;

import dev.reloadly.operator.compromise.DenyListSecret;
import dev.reloadly.operator.config.LeaderElection;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.KekProvider;
import dev.reloadly.operator.crypto.Sealer;
import dev.reloadly.operator.events.EventRecorder;
import dev.reloadly.operator.keys.ClusterStoreSecrets;
import dev.reloadly.operator.keys.KekPolicy;
import dev.reloadly.operator.keys.KekProviders;
import dev.reloadly.operator.keys.KeyHolder;
import dev.reloadly.operator.keys.KeyMaintenance;
import dev.reloadly.operator.keys.OperatorKeyStore;
import dev.reloadly.operator.keys.SealingRenewal;
import dev.reloadly.operator.keys.StoreRekeying;
import dev.reloadly.operator.leader.LeaderDuties;
import dev.reloadly.operator.lifecycle.TokenRequester;
import dev.reloadly.operator.lifecycle.ValidationBackoff;
import dev.reloadly.operator.metrics.AuthRequests;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.metrics.MetricsServer;
import dev.reloadly.operator.metrics.Readiness;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import dev.reloadly.operator.metrics.DeletedCredentials;
import dev.reloadly.operator.reconciler.OperatorFactory;
import dev.reloadly.operator.reconciler.ReloadlyCredentialReconciler;
import dev.reloadly.operator.source.CredentialSourceReader;
import dev.reloadly.operator.source.SealedValueOpener;
import dev.reloadly.operator.token.Backoff;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenRequestLimiter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
  private final LeaderDuties duties;
  private final MeterRegistry registry;
  /** Bumped when leading stops, so a pass scheduled under an earlier term does nothing. */
  private final AtomicInteger term = new AtomicInteger();
  private final AtomicLong maintenancePasses = new AtomicLong();
  /** Reloads the keys from their Secret; set when a reload on taking the lead failed. */
  private volatile Runnable pendingKeyReload;
  private volatile SharedIndexInformer<Secret> keySecretWatch;
  private volatile SharedIndexInformer<ConfigMap> publishedKeysWatch;
  private KekProvider kekProvider;
  private volatile DenyListSecret denyList;
  private volatile AutoCloseable jvmMeters;
  private volatile Readiness readiness = new Readiness();
  private ReloadlyCredentialReconciler reconciler;
  private Duration drainTimeout = LeaderElection.DEFAULT_RENEW_DEADLINE;

  private OperatorRuntime(Operator operator, MetricsServer metrics, KeyMaintenance maintenance,
      KeyHolder keys, TokenRequestLimiter limiter, ScheduledExecutorService scheduler, Clock clock,
      LeaderDuties duties, MeterRegistry registry) {
    this.duties = duties;
    this.registry = registry;
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
    AutoCloseable jvmMeters = MetricsServer.bindJvm(registry);
    Readiness readiness = new Readiness();
    MetricsServer metrics = null;
    if (config.metricsPort() > 0) {
      try {
        metrics = MetricsServer.start(registry, config.metricsPort(), readiness);
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
    CredentialMetrics credentialMetrics = new CredentialMetrics(registry, clock);
    ReloadlyTokenClient tokens = limiter.limit(AuthRequests.counted(tokenClient, credentialMetrics));
    if (config.rollouts().argoRollouts() && !client.supports("argoproj.io/v1alpha1", "Rollout")) {
      throw new IllegalStateException("--argo-rollouts is true, but the API server serves no"
          + " argoproj.io/v1alpha1 Rollout: install Argo Rollouts (its CRD), or set it to false");
    }
    DenyListSecret denyList = DenyListSecret.start(client, config.namespace());
    ReloadlyCredentialReconciler reconciler = new ReloadlyCredentialReconciler(client,
        new CredentialSourceReader(new SealedValueOpener(new Sealer(random),
            () -> keys.get().sealing())),
        new TokenRequester(tokens, new ValidationBackoff(Backoff.defaults())),
        denyList, config, keys, new EventRecorder(client, clock),
        credentialMetrics, clock);
    denyList.onChange(reconciler::denyListChanged);
    KeyMaintenance maintenance = new KeyMaintenance(keyStore, keys, clock,
        new KekPolicy(config.kekRotation(), random),
        new SealingRenewal(config.sealingKeyRenewal(), random, reconciler::sealingKeyRenewed),
        new StoreRekeying(new ClusterStoreSecrets(client, config.watchNamespaces()),
            new EnvelopeCipher(random)));
    LeaderDuties duties = new LeaderDuties(config.leaderElection().identity(),
        config.leaderElection().exitWhenLost() ? LeaderDuties.exitProcess() : null);
    Gauge.builder("reloadly_operator_leader", duties, d -> d.leading() ? 1 : 0)
        .description("1 while this replica holds the leader Lease (or runs alone)")
        .register(registry);
    Operator operator = OperatorFactory.create(client, config, reconciler,
        new AggregatedMetrics(List.of(
            // First: JOSDK times a reconcile through the first of the list only. Per type, not
            // per credential: at 10,000 credentials per-resource meters would outweigh the
            // operator's own state.
            MicrometerMetrics.withoutPerResourceMetrics(registry),
            new DeletedCredentials(credentialMetrics, reconciler::credentialDeleted))),
        duties.callbacks());
    operator.start();
    readiness.checkWith(() -> ready(operator, denyList, duties));

    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "key-maintenance");
      t.setDaemon(true);
      return t;
    });
    OperatorRuntime runtime = new OperatorRuntime(operator, metrics, maintenance, keys, limiter,
        scheduler, clock, duties, registry);
    runtime.denyList = denyList;
    runtime.reconciler = reconciler;
    runtime.drainTimeout = config.leaderElection().renewDeadline();
    runtime.jvmMeters = jvmMeters;
    runtime.readiness = readiness;
    // Key maintenance writes the key Secret and every store: only the leader may run it.
    duties.bind(new LeaderDuties.Duty() {
      @Override
      public void start() {
        // Keys held since start-up may be older than the stored ones: the previous leader may
        // have rotated them. Saving or encrypting under stale keys would lose the newer ones.
        try {
          keys.reload(keyStore);
        } catch (RuntimeException e) {
          LOG.warn("could not reload the operator's keys on taking the lead ({}); the first key"
              + " maintenance pass retries", e.getClass().getSimpleName());
          runtime.pendingKeyReload = () -> keys.reload(keyStore);
        }
        try {
          reconciler.removeOrphanedGatewayPolicies();
        } catch (RuntimeException e) {
          LOG.warn("could not look for CiliumEgressGatewayPolicies of deleted credentials ({})",
              e.getClass().getSimpleName());
        }
        // A first pass at once finishes a re-wrap that a stopped operator left half done.
        runtime.scheduleMaintenance(Duration.ZERO, runtime.term.get());
        runtime.watchRotationRequests(client, config.namespace());
        runtime.watchPublishedKeys(client, config.namespace());
      }

      @Override
      public void stop() {
        runtime.stopMaintenance();
      }
    });
    if (!config.leaderElection().enabled()) {
      duties.startLeading();
    }
    LOG.info("operator started: watching {}, keys in namespace {}, sealing key {}, KEKs {}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(),
        config.namespace(), keys.get().sealing().newest().keyId(), kekProvider.describe());
    if (config.leaderElection().enabled()) {
      LOG.info("leader election on: Lease {}/{}, this replica is {}", config.namespace(),
          config.leaderElection().leaseName(), config.leaderElection().identity());
    }
    return runtime;
  }

  /** Ready once every cache is filled and watching; a standby replica is ready too. */
  private static Readiness.State ready(Operator operator, DenyListSecret denyList,
      LeaderDuties duties) {
    if (!operator.getRuntimeInfo().isStarted()) {
      return new Readiness.State(false, "starting");
    }
    List<String> unhealthy = operator.getRuntimeInfo().unhealthyEventSources().values().stream()
        .flatMap(sources -> sources.keySet().stream()).sorted().toList();
    if (!unhealthy.isEmpty()) {
      return new Readiness.State(false, "caches not synced or not watching: " + unhealthy);
    }
    if (!denyList.healthy()) {
      return new Readiness.State(false, "the compromised-versions list is not synced");
    }
    return new Readiness.State(true, duties.leading() ? "ready, leading" : "ready, standby");
  }

  /** What /readyz answers now. */
  public Readiness.State readiness() {
    return readiness.state();
  }

  public KeyMaintenance maintenance() {
    return maintenance;
  }

  /** The operator's meters (the ones /metrics serves). */
  public MeterRegistry registry() {
    return registry;
  }

  public KeyHolder keys() {
    return keys;
  }

  public TokenRequestLimiter limiter() {
    return limiter;
  }

  /** True while this replica holds the leader Lease, or always when leader election is off. */
  public boolean leading() {
    return duties.leading();
  }

  public String identity() {
    return duties.identity();
  }

  /** How many scheduled key maintenance passes this replica has run. */
  public long maintenancePasses() {
    return maintenancePasses.get();
  }

  /** The running JOSDK operator, e.g. to look into an informer's cache. */
  public Operator operator() {
    return operator;
  }

  /**
   * Runs key maintenance after {@code delay}, then again at the exact moment the next key is due
   * (at least hourly), or in a minute while a re-wrap is unfinished or a run failed, so a failing
   * run never spins.
   */
  private void scheduleMaintenance(Duration delay, int scheduledIn) {
    scheduler.schedule(() -> {
      if (scheduledIn != term.get()) {
        return;
      }
      Duration next;
      try {
        maintenancePasses.incrementAndGet();
        Runnable reload = pendingKeyReload;
        if (reload != null) {
          reload.run();
          pendingKeyReload = null;
        }
        next = maintenance.runOnce() ? untilNextKeyDue() : UNSETTLED_RETRY;
      } catch (RuntimeException e) {
        LOG.warn("key maintenance failed ({}); trying again in a minute",
            e.getClass().getSimpleName());
        next = UNSETTLED_RETRY;
      }
      scheduleMaintenance(next, scheduledIn);
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops key maintenance when leading stops: no new pass starts, the watch closes. */
  private void stopMaintenance() {
    term.incrementAndGet();
    SharedIndexInformer<Secret> watch = keySecretWatch;
    if (watch != null) {
      watch.close();
      keySecretWatch = null;
    }
    SharedIndexInformer<ConfigMap> published = publishedKeysWatch;
    if (published != null) {
      published.close();
      publishedKeysWatch = null;
    }
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
            // `retire-sealing-key` edits the Secret: follow it, or a later save writes it back.
            if (duties.leading()) {
              scheduler.execute(() -> runLogged(maintenance::followStoredSealingKeys,
                  "following the key Secret's sealing keys"));
            }
            if (duties.leading() && secret.getMetadata().getAnnotations() != null
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

  /**
   * Watches only ConfigMap reloadly-sealing-keys, by name: `seal --fetch` trusts it, so whatever
   * else someone writes there (a planted key) is put back to what the key Secret says. The repair
   * writes only when the content differs, so its own update event ends the exchange.
   */
  private void watchPublishedKeys(KubernetesClient client, String namespace) {
    publishedKeysWatch = client.configMaps().inNamespace(namespace)
        .withName(OperatorKeyStore.CONFIG_MAP).inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap configMap) {
            repair();
          }

          @Override
          public void onUpdate(ConfigMap previous, ConfigMap configMap) {
            repair();
          }

          @Override
          public void onDelete(ConfigMap configMap, boolean unknownFinalState) {
            repair();
          }

          private void repair() {
            scheduler.execute(() -> runLogged(maintenance::repairPublishedKeys,
                "repairing ConfigMap " + OperatorKeyStore.CONFIG_MAP));
          }
        });
  }

  private static void runLogged(Runnable task, String what) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("{} failed ({}); the next change or scheduled pass tries again", what,
          e.getClass().getSimpleName());
    }
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
    duties.closing();
    stopMaintenance();
    scheduler.shutdownNow();
    // A reconcile under way finishes first, while the caches are filled and the Lease is renewed,
    // so what it minted or promoted is stored. At most the renew deadline: a standby can take the
    // Lease only a lease duration after the last renewal, which is later still.
    if (reconciler != null && !reconciler.drain(drainTimeout)) {
      LOG.warn("a reconcile was still running after {}; stopping it", drainTimeout);
    }
    // Stops renewing the Lease when leading: a follower takes over within one lease duration.
    operator.stop();
    if (denyList != null) {
      denyList.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (jvmMeters != null) {
      try {
        jvmMeters.close();
      } catch (Exception e) {
        LOG.debug("closing the JVM meters failed ({})", e.getClass().getSimpleName());
      }
    }
    if (kekProvider != null) {
      kekProvider.close();
    }
  }

}
