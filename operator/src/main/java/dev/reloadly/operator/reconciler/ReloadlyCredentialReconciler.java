package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.api.v1alpha1.Conditions.READY;
import static dev.reloadly.operator.api.v1alpha1.Conditions.SOURCE_READY;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.SealingKeyStatus;
import dev.reloadly.operator.events.EventRecorder;
import dev.reloadly.operator.keys.OperatorKeys;
import dev.reloadly.operator.lifecycle.CredentialLifecycle;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.source.CredentialSourceReader;
import dev.reloadly.operator.source.SourceResult;
import dev.reloadly.operator.source.WatchedSourceSecrets;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.target.OwnedSecretWriter;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a ReloadlyCredential. It only orders the concerns (source, lifecycle, store,
 * serving) and builds the status; each concern lives in its own class.
 */
@ControllerConfiguration(name = ReloadlyCredentialReconciler.NAME)
public class ReloadlyCredentialReconciler implements Reconciler<ReloadlyCredential> {
  public static final String NAME = "reloadlycredential";
  static final String OWNED_SECRETS = "owned-secrets";
  static final String SOURCE_SECRETS = "source-secrets";
  static final String SOURCE_INDEX = "by-source-secret";
  /** A missing source Secret may appear without the watch label; look again at this pace. */
  static final Duration SOURCE_RETRY = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(ReloadlyCredentialReconciler.class);

  private final CredentialSourceReader sources;
  private final CredentialLifecycle lifecycle;
  private final TargetServing serving;
  private final Supplier<OperatorKeys> keys;
  private final EventRecorder events;
  private final StatusWriter statusWriter;
  private final CredentialMetrics metrics;
  private final Clock clock;
  private final SimpleInboundEventSource<ReloadlyCredential> keyChanges =
      new SimpleInboundEventSource<>("key-changes");
  private IndexerResourceCache<ReloadlyCredential> credentials;
  private InformerEventSource<Secret, ReloadlyCredential> ownedSecrets;
  private InformerEventSource<Secret, ReloadlyCredential> sourceSecrets;

  public ReloadlyCredentialReconciler(CredentialSourceReader sources, CredentialLifecycle lifecycle,
      TargetServing serving, Supplier<OperatorKeys> keys, EventRecorder events,
      CredentialMetrics metrics, Clock clock) {
    this.sources = sources;
    this.lifecycle = lifecycle;
    this.serving = serving;
    this.keys = keys;
    this.events = events;
    this.statusWriter = new StatusWriter(events.client());
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ReloadlyCredential>> prepareEventSources(
      EventSourceContext<ReloadlyCredential> context) {
    context.getPrimaryCache().addIndexer(SOURCE_INDEX, credential ->
        Optional.ofNullable(credential.getSpec())
            .map(s -> s.getSource())
            .map(s -> s.getSecretRef())
            .map(ref -> List.of(key(credential.getMetadata().getNamespace(), ref.getName())))
            .orElse(List.of()));
    // Both informers are label-filtered: the operator never caches every Secret in the cluster.
    ownedSecrets = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, ReloadlyCredential.class)
            .withName(OWNED_SECRETS)
            .withLabelSelector(ApiLabels.MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ReloadlyCredential.class))
            .build(),
        context);
    sourceSecrets = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, ReloadlyCredential.class)
            .withName(SOURCE_SECRETS)
            .withLabelSelector(ApiLabels.SOURCE_SELECTOR)
            .withSecondaryToPrimaryMapper(secret -> context.getPrimaryCache()
                .byIndex(SOURCE_INDEX,
                    key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()))
                .stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet()))
            .build(),
        context);
    credentials = context.getPrimaryCache();
    return List.of(ownedSecrets, sourceSecrets, keyChanges);
  }

  /**
   * A new sealing key was published: every sealed credential is reconciled once, so its status
   * and the old-key gauge say it should be re-sealed.
   */
  public void sealingKeyRenewed() {
    if (credentials == null) {
      return;
    }
    credentials.list()
        .filter(c -> c.getSpec() != null && c.getSpec().getSource() != null
            && c.getSpec().getSource().getSealed() != null)
        .map(ResourceID::fromResource)
        .forEach(keyChanges::propagateEvent);
  }

  @Override
  public UpdateControl<ReloadlyCredential> reconcile(ReloadlyCredential credential,
      Context<ReloadlyCredential> context) {
    Instant now = clock.instant();
    StatusDraft status = new StatusDraft(credential.getStatus(),
        credential.getMetadata().getGeneration(), now);
    Requeue requeue = new Requeue(now);
    OwnedSecrets owned = new OwnedSecrets(context.getClient(), credential, ownedSecrets);
    status.status().setTargetSecretName(owned.targetName());

    Optional<String> specProblem = SpecCheck.problem(credential.getSpec());
    if (specProblem.isPresent()) {
      status.condition(SOURCE_READY, false, Conditions.INVALID_SPEC, specProblem.get());
      status.condition(READY, false, Conditions.INVALID_SPEC, specProblem.get());
      return finish(credential, status, requeue);
    }
    CredentialPolicy policy = CredentialPolicy.of(credential.getSpec());
    OperatorKeys keys = this.keys.get();
    StoredVersions stored;
    try {
      stored = owned.store();
    } catch (IllegalArgumentException e) {
      status.condition(READY, false, Conditions.STORE_DAMAGED, "store Secret "
          + owned.storeName() + " is damaged (" + e.getMessage() + "); nothing was changed");
      return finish(credential, status, requeue);
    }

    SourceResult source = sources.read(credential, new WatchedSourceSecrets(
        context.getClient(), (ns, name) -> sourceSecrets.get(new ResourceID(name, ns))));
    Optional<CredentialMaterial> offered = Optional.empty();
    if (source instanceof SourceResult.Failed failed) {
      status.condition(SOURCE_READY, false, failed.reason(), failed.message());
      if (failed.transientFailure()) {
        requeue.in(SOURCE_RETRY);
      }
    } else {
      SourceResult.Read read = (SourceResult.Read) source;
      offered = Optional.of(read.material());
      status.condition(SOURCE_READY, true, Conditions.SOURCE_READ, "client ID and secret read");
      status.status().setSealingKey(read.sealingKeyId() == null ? null : new SealingKeyStatus(
          read.sealingKeyId(), read.sealingKeyId().equals(keys.sealing().newest().keyId())));
    }

    try {
      Optional<CredentialLifecycle.Offer> offer = offered.map(m ->
          new CredentialLifecycle.Offer(keys.fingerprinter().fingerprint(m.clientId(),
              m.clientSecret()), m));
      StoredVersions.Crypto crypto = owned.crypto(keys.keks());
      String audience =
          credential.getSpec().getProduct().baseUrl(credential.getSpec().getEnvironment());
      CredentialLifecycle.Outcome outcome = lifecycle.advance(new CredentialLifecycle.Input(
          key(credential.getMetadata().getNamespace(), credential.getMetadata().getName()),
          stored, offer, annotation(credential, ApiLabels.COMPROMISED), audience, policy, crypto,
          now));
      outcome.conditions().forEach(status::apply);
      outcome.warnings().forEach(w -> events.warning(credential, w.reason(), w.message()));
      outcome.retryAt().ifPresent(requeue::at);

      // The store is written before the target: a promotion is on record before it is served,
      // so an operator stopped in between resumes without promoting twice.
      if (owned.writeStore(outcome.stored()) == OwnedSecretWriter.Outcome.CONFLICT) {
        status.condition(READY, false, Conditions.TARGET_CONFLICT, "Secret " + owned.storeName()
            + " exists and is not owned by this credential; it is left untouched");
        return finish(credential, status, requeue);
      }
      serving.serve(new TargetServing.Request(credential, context.getClient(), owned, outcome,
          offer, policy, crypto, status, requeue, now));
      StatusViews.versions(status.status(), outcome.stored().ledger(), policy, status, now, requeue);
    } finally {
      offered.ifPresent(CredentialMaterial::close);
    }
    return finish(credential, status, requeue);
  }

  @Override
  public ErrorStatusUpdateControl<ReloadlyCredential> updateErrorStatus(
      ReloadlyCredential credential, Context<ReloadlyCredential> context, Exception e) {
    // Only the type goes into logs: messages of client exceptions can echo a request body.
    // Where it failed helps; the message could echo a server's body, so it stays at debug.
    LOG.warn("reconcile of {}/{} failed: {} at {}", credential.getMetadata().getNamespace(),
        credential.getMetadata().getName(), e.getClass().getSimpleName(),
        e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
    LOG.debug("reconcile failure detail", e);
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  private UpdateControl<ReloadlyCredential> finish(ReloadlyCredential credential,
      StatusDraft status, Requeue requeue) {
    recordTransitions(credential, status);
    List<io.fabric8.kubernetes.api.model.Condition> conditions = status.status().getConditions();
    metrics.observe(credential.getMetadata().getNamespace(), credential.getMetadata().getName(),
        new CredentialMetrics.Observation(Conditions.isTrue(conditions, READY),
            Conditions.isTrue(conditions, Conditions.ROTATION_DUE),
            Conditions.isTrue(conditions, Conditions.ROTATION_OVERDUE),
            status.status().getSealingKey() != null
                && Boolean.FALSE.equals(status.status().getSealingKey().getNewest())));
    if (status.changed()) {
      statusWriter.write(credential, status.status());
    }
    metrics.reconciled();
    UpdateControl<ReloadlyCredential> control = UpdateControl.noUpdate();
    requeue.delay().ifPresent(control::rescheduleAfter);
    return control;
  }

  /** Events on transitions only, so a steady state records none. */
  private void recordTransitions(ReloadlyCredential credential, StatusDraft status) {
    for (String type : List.of(READY, Conditions.ROTATION_DUE, Conditions.ROTATION_OVERDUE,
        Conditions.CREDENTIAL_VALID, Conditions.TOKEN_READY)) {
      if (!status.transitioned(type)) {
        continue;
      }
      status.drafted(type).ifPresent(c -> {
        boolean good = Conditions.TRUE.equals(c.getStatus())
            != (type.equals(Conditions.ROTATION_DUE) || type.equals(Conditions.ROTATION_OVERDUE));
        if (good) {
          if (status.observed(type).isPresent() || type.equals(READY)) {
            events.normal(credential, c.getReason(), c.getMessage());
          }
        } else {
          events.warning(credential, c.getReason(), c.getMessage());
        }
      });
    }
  }

  private static String annotation(ReloadlyCredential credential, String key) {
    Map<String, String> annotations = credential.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
