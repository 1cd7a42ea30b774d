package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.api.v1alpha1.Conditions.READY;
import static dev.reloadly.operator.api.v1alpha1.Conditions.SOURCE_READY;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.events.EventRecorder;
import dev.reloadly.operator.source.CredentialSourceReader;
import dev.reloadly.operator.source.SourceResult;
import dev.reloadly.operator.source.WatchedSourceSecrets;
import dev.reloadly.operator.target.OwnedSecretWriter;
import dev.reloadly.operator.target.TargetData;
import dev.reloadly.operator.target.TargetSecret;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a ReloadlyCredential: reads its source, writes its target Secret and reports status.
 * Each concern lives in its own class; this one only orders them and builds the status.
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
  private final EventRecorder events;
  private final Clock clock;
  private InformerEventSource<Secret, ReloadlyCredential> ownedSecrets;
  private InformerEventSource<Secret, ReloadlyCredential> sourceSecrets;

  public ReloadlyCredentialReconciler(CredentialSourceReader sources, EventRecorder events,
      Clock clock) {
    this.sources = sources;
    this.events = events;
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
    return List.of(ownedSecrets, sourceSecrets);
  }

  @Override
  public UpdateControl<ReloadlyCredential> reconcile(ReloadlyCredential credential,
      Context<ReloadlyCredential> context) {
    StatusDraft status = new StatusDraft(credential.getStatus(),
        credential.getMetadata().getGeneration(), clock.instant());
    String targetName = TargetSecret.name(credential);
    status.status().setTargetSecretName(targetName);

    Optional<Duration> retry = Optional.empty();
    Optional<String> specProblem = SpecCheck.problem(credential.getSpec());
    if (specProblem.isPresent()) {
      status.condition(SOURCE_READY, false, Conditions.INVALID_SPEC, specProblem.get());
      status.condition(READY, false, Conditions.INVALID_SPEC, specProblem.get());
      return finish(credential, status, retry);
    }

    SourceResult source = sources.read(credential, new WatchedSourceSecrets(
        context.getClient(), (ns, name) -> sourceSecrets.get(new ResourceID(name, ns))));
    if (source instanceof SourceResult.Failed failed) {
      status.condition(SOURCE_READY, false, failed.reason(), failed.message());
      status.condition(READY, false, Conditions.SOURCE_NOT_READY,
          "target Secret " + targetName + " left as it was: " + failed.message());
      if (failed.transientFailure()) {
        retry = Optional.of(SOURCE_RETRY);
      }
      return finish(credential, status, retry);
    }
    SourceResult.Read read = (SourceResult.Read) source;
    try (var material = read.material()) {
      status.condition(SOURCE_READY, true, Conditions.SOURCE_READ, "client ID and secret read");
      Map<String, String> data = TargetData.credentials(TargetSecret.keys(credential), material);
      OwnedSecretWriter.Outcome outcome = new OwnedSecretWriter(context.getClient()).write(
          credential, targetName, TargetSecret.labels(credential), Map.of(), data,
          ownedSecrets.get(new ResourceID(targetName, credential.getMetadata().getNamespace())),
          written -> ownedSecrets.handleRecentResourceUpdate(ResourceID.fromResource(written),
              written, written));
      if (outcome == OwnedSecretWriter.Outcome.CONFLICT) {
        status.condition(READY, false, Conditions.TARGET_CONFLICT, "Secret " + targetName
            + " exists and is not owned by this credential; it is left untouched. Delete it or"
            + " set spec.target.secretName to another name.");
      } else {
        status.condition(READY, true, Conditions.RECONCILED,
            "target Secret " + targetName + " serves the credential");
      }
    }
    return finish(credential, status, retry);
  }

  @Override
  public ErrorStatusUpdateControl<ReloadlyCredential> updateErrorStatus(
      ReloadlyCredential credential, Context<ReloadlyCredential> context, Exception e) {
    // Only the type goes into status and logs: messages of client exceptions can echo a body.
    LOG.warn("reconcile of {}/{} failed: {}", credential.getMetadata().getNamespace(),
        credential.getMetadata().getName(), e.getClass().getSimpleName());
    LOG.debug("reconcile failure detail", e);
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  private UpdateControl<ReloadlyCredential> finish(ReloadlyCredential credential,
      StatusDraft status, Optional<Duration> requeue) {
    recordTransitions(credential, status);
    UpdateControl<ReloadlyCredential> control;
    if (status.changed()) {
      credential.setStatus(status.status());
      control = UpdateControl.patchStatus(credential);
    } else {
      control = UpdateControl.noUpdate();
    }
    requeue.ifPresent(control::rescheduleAfter);
    return control;
  }

  private void recordTransitions(ReloadlyCredential credential, StatusDraft status) {
    if (!status.transitioned(READY)) {
      return;
    }
    status.drafted(READY).ifPresent(ready -> {
      if (Conditions.TRUE.equals(ready.getStatus())) {
        events.normal(credential, ready.getReason(), ready.getMessage());
      } else {
        events.warning(credential, ready.getReason(), ready.getMessage());
      }
    });
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
