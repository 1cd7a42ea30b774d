package dev.reloadly.operator.reconciler;

import static dev.reloadly.operator.api.v1alpha1.Conditions.READY;
import static dev.reloadly.operator.api.v1alpha1.Conditions.SOURCE_READY;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredentialStatus;
import dev.reloadly.operator.api.v1alpha1.RolloutStatus;
import dev.reloadly.operator.compliance.ComplianceFacts;
import dev.reloadly.operator.compliance.ClusterConsumerAccess;
import dev.reloadly.operator.compliance.ClusterPolicyReports;
import dev.reloadly.operator.compliance.ConsumerAccess;
import dev.reloadly.operator.compliance.ComplianceReport;
import dev.reloadly.operator.compliance.PolicyReports;
import dev.reloadly.operator.compliance.RbacTrimStore;
import dev.reloadly.operator.compliance.SecretReaders;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import dev.reloadly.operator.compliance.ReleaseGate;
import dev.reloadly.operator.config.EgressDefaults;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.LocalKeyEncryptionKey;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.config.RolloutSettings;
import dev.reloadly.operator.egress.ClusterEgressPolicies;
import dev.reloadly.operator.egress.ClusterGatewayPolicies;
import dev.reloadly.operator.egress.ClusterProbeJobs;
import dev.reloadly.operator.egress.EgressProbe;
import dev.reloadly.operator.egress.ProbeJobs;
import dev.reloadly.operator.api.v1alpha1.EgressMode;
import dev.reloadly.operator.api.v1alpha1.EgressSpec;
import dev.reloadly.operator.api.v1alpha1.EgressStatus;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import dev.reloadly.operator.selection.LabelSelectors;
import dev.reloadly.operator.egress.CredentialEgress;
import dev.reloadly.operator.egress.EgressPolicies;
import dev.reloadly.operator.egress.EgressSettings;
import dev.reloadly.operator.egress.NatNode;
import dev.reloadly.operator.egress.NatNodeTrim;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.rollout.ClusterWorkloadActions;
import dev.reloadly.operator.rollout.Consumer;
import dev.reloadly.operator.rollout.ConsumerDiscovery;
import dev.reloadly.operator.rollout.ConsumerPolicy;
import dev.reloadly.operator.rollout.ConsumerRollout;
import dev.reloadly.operator.rollout.RolloutTransitions;
import dev.reloadly.operator.rollout.Revisions;
import dev.reloadly.operator.rollout.RolloutSlots;
import dev.reloadly.operator.rollout.Workload;
import dev.reloadly.operator.rollout.WorkloadInformers;
import dev.reloadly.operator.target.TargetSecret;
import dev.reloadly.operator.token.ServedToken;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import dev.reloadly.operator.api.v1alpha1.SealingKeyStatus;
import dev.reloadly.operator.compromise.DenyListSecret;
import dev.reloadly.operator.crypto.StoreMac;
import dev.reloadly.operator.events.EventRecorder;
import dev.reloadly.operator.keys.OperatorKeys;
import dev.reloadly.operator.lifecycle.CredentialLifecycle;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.TokenRequester;
import dev.reloadly.operator.token.TokenResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.reloadly.operator.metrics.CredentialMetrics;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.source.CredentialSourceReader;
import dev.reloadly.operator.source.SecretMetadataEventSource;
import dev.reloadly.operator.source.SourceResult;
import dev.reloadly.operator.source.WatchedSourceSecrets;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.target.OwnedSecretWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
  static final String SOURCE_METADATA = "source-secret-metadata";
  static final String SOURCE_INDEX = "by-source-secret";
  static final String NAMESPACE_INDEX = "by-namespace";
  static final String EGRESS_POLICIES = "egress-policies";
  static final String NAT_NODES = "nat-nodes";
  static final String PROBE_JOBS = "egress-probe-jobs";
  /** After a status conflict the reconcile starts again from a fresh copy this soon. */
  static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(ReloadlyCredentialReconciler.class);

  private final CredentialSourceReader sources;
  private final CredentialLifecycle lifecycle;
  private final TargetServing serving;
  private final Supplier<OperatorKeys> keys;
  private final EventRecorder events;
  private final StatusWriter statusWriter;
  private final SignalAnnotations signals;
  private final CredentialMetrics metrics;
  private final DenyListSecret denyList;
  private final ConsumerRollout rollout;
  private final RolloutSlots slots;
  private final CredentialEgress egress;
  private final String natNodeSelector;
  private final LabelSelector defaultNatNodes;
  private final EgressDefaults egressDefaults;
  private final EgressProbe probe;
  private final ComplianceReport compliance;
  private final ClusterPolicyReports policyReports;
  private final ConsumerAccess access;
  /** Credentials already told that their Role or RoleBinding name is taken (one Event each). */
  private final Set<String> accessWarned = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Compliance Events: at most one per credential every ten minutes. */
  private final EventRateLimit eventLimit = new EventRateLimit(Duration.ofMinutes(10));
  private final java.net.URI authUrl;
  private final String operatorNamespace;
  /** The operator's service account, as deploy/ names it. */
  static final String OPERATOR_ACCOUNT = "reloadly-credential-operator";
  private final boolean argoRollouts;
  private final Clock clock;
  private final SimpleInboundEventSource<ReloadlyCredential> keyChanges =
      new SimpleInboundEventSource<>("key-changes");
  private final InFlight inFlight = new InFlight();
  private IndexerResourceCache<ReloadlyCredential> credentials;
  private InformerEventSource<Secret, ReloadlyCredential> ownedSecrets;
  private InformerEventSource<Secret, ReloadlyCredential> sourceSecrets;
  private WorkloadInformers<ReloadlyCredential> workloads;
  private InformerEventSource<NetworkPolicy, ReloadlyCredential> egressPolicies;
  private InformerEventSource<Node, ReloadlyCredential> natNodes;
  private InformerEventSource<Job, ReloadlyCredential> probeJobs;
  private InformerEventSource<Role, ReloadlyCredential> roles;
  private InformerEventSource<RoleBinding, ReloadlyCredential> roleBindings;
  private InformerEventSource<ClusterRole, ReloadlyCredential> clusterRoles;
  private InformerEventSource<ClusterRoleBinding, ReloadlyCredential> clusterRoleBindings;

  /**
   * @param client the operator's client, for the status and signal writes
   * @param tokens the one way to ask Reloadly for a token, shared by validation and minting
   * @param denyList the operator-wide list of compromised fingerprints
   * @param config incident history, rollout cap, NAT node selector, probe image, auth URL
   */
  public ReloadlyCredentialReconciler(KubernetesClient client, CredentialSourceReader sources,
      TokenRequester tokens, DenyListSecret denyList, OperatorConfig config,
      Supplier<OperatorKeys> keys, EventRecorder events, CredentialMetrics metrics, Clock clock) {
    int incidentHistory = config.incidentHistory();
    RolloutSettings rollouts = config.rollouts();
    EgressDefaults egressDefaults = config.egress();
    this.authUrl = config.reloadlyAuthUrl();
    this.operatorNamespace = config.namespace();
    this.compliance = new ComplianceReport(config.compliance().freeMail());
    this.policyReports = new ClusterPolicyReports(client, clock);
    this.access = new ConsumerAccess(new ClusterConsumerAccess<>(client, () -> roles,
        () -> roleBindings));
    this.natNodeSelector = egressDefaults.natNodeSelector();
    this.defaultNatNodes = LabelSelectors.parse(natNodeSelector);
    this.egressDefaults = egressDefaults;
    this.probe = new EgressProbe(new ClusterProbeJobs<>(client, () -> probeJobs));
    this.egress = new CredentialEgress(new ClusterEgressPolicies<>(client, () -> egressPolicies),
        new ClusterGatewayPolicies(client, clock), defaultNatNodes);
    this.sources = sources;
    this.slots = new RolloutSlots(rollouts.maxConcurrent());
    this.rollout = new ConsumerRollout(new ClusterWorkloadActions(client), slots);
    this.argoRollouts = rollouts.argoRollouts();
    this.denyList = denyList;
    this.lifecycle = new CredentialLifecycle(tokens, denyList::contains, incidentHistory);
    this.serving = new TargetServing(new TokenServing(tokens));
    this.keys = keys;
    this.events = events;
    this.statusWriter = new StatusWriter(client);
    this.signals = new SignalAnnotations(client);
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
    // Both full-object informers are label-filtered: the operator never caches every Secret in the
    // cluster. Unlabelled sources are seen through a metadata-only informer instead.
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
            .withSecondaryToPrimaryMapper(referencing(context))
            .build(),
        context);
    SecretMetadataEventSource<ReloadlyCredential> sourceMetadata = SecretMetadataEventSource
        .create(SOURCE_METADATA, ReloadlyCredential.class, referencing(context), context);
    context.getPrimaryCache().addIndexer(NAMESPACE_INDEX,
        credential -> List.of(credential.getMetadata().getNamespace()));
    workloads = WorkloadInformers.create(ReloadlyCredential.class, argoRollouts,
        consumedBy(context), context);
    egressPolicies = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(NetworkPolicy.class, ReloadlyCredential.class)
            .withName(EGRESS_POLICIES)
            .withLabelSelector(EgressPolicies.SELECTOR)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ReloadlyCredential.class))
            .build(),
        context);
    // Nodes are cluster-scoped: only those the operator's NAT node selector picks are cached,
    // trimmed, and a change reconciles the credentials that set spec.egress.
    natNodes = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, ReloadlyCredential.class)
            .withName(NAT_NODES)
            .withWatchAllNamespaces()
            .withLabelSelector(natNodeSelector)
            .withItemStore(new NatNodeTrim())
            .withSecondaryToPrimaryMapper(node -> context.getPrimaryCache().list()
                .filter(c -> c.getSpec() != null && c.getSpec().getEgress() != null)
                .map(ResourceID::fromResource)
                .collect(Collectors.<ResourceID>toSet()))
            .build(),
        context);
    probeJobs = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, ReloadlyCredential.class)
            .withName(PROBE_JOBS)
            .withLabelSelector(ProbeJobs.SELECTOR)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ReloadlyCredential.class))
            .build(),
        context);
    // RBAC, for the AccessRestricted check: a change reconciles the credentials it may concern
    // (those of its namespace; all of them for cluster-wide objects).
    SecondaryToPrimaryMapper<HasMetadata> sameNamespace = rbac -> context.getPrimaryCache()
        .byIndex(NAMESPACE_INDEX, rbac.getMetadata().getNamespace()).stream()
        .map(ResourceID::fromResource).collect(Collectors.<ResourceID>toSet());
    SecondaryToPrimaryMapper<HasMetadata> everyCredential = rbac -> context.getPrimaryCache()
        .list().map(ResourceID::fromResource).collect(Collectors.<ResourceID>toSet());
    roles = rbacSource(Role.class, "rbac-roles", false, sameNamespace::toPrimaryResourceIDs,
        context);
    roleBindings = rbacSource(RoleBinding.class, "rbac-rolebindings", false,
        sameNamespace::toPrimaryResourceIDs, context);
    clusterRoles = rbacSource(ClusterRole.class, "rbac-clusterroles", true,
        everyCredential::toPrimaryResourceIDs, context);
    clusterRoleBindings = rbacSource(ClusterRoleBinding.class, "rbac-clusterrolebindings", true,
        everyCredential::toPrimaryResourceIDs, context);
    credentials = context.getPrimaryCache();
    List<EventSource<?, ReloadlyCredential>> all = new ArrayList<>(
        List.of(ownedSecrets, sourceSecrets, sourceMetadata, keyChanges, egressPolicies,
            natNodes, probeJobs, roles, roleBindings, clusterRoles, clusterRoleBindings));
    all.addAll(workloads.sources());
    return all;
  }

  private static <R extends HasMetadata> InformerEventSource<R, ReloadlyCredential> rbacSource(
      Class<R> type, String name, boolean clusterScoped, SecondaryToPrimaryMapper<R> mapper,
      EventSourceContext<ReloadlyCredential> context) {
    var config = InformerEventSourceConfiguration.from(type, ReloadlyCredential.class)
        .withName(name)
        .withItemStore(new RbacTrimStore<>())
        .withSecondaryToPrimaryMapper(mapper);
    if (clusterScoped) {
      config.withWatchAllNamespaces();
    }
    return new InformerEventSource<>(config.build(), context);
  }

  /** consumers.grantAccess: a Role and RoleBinding for the consumers' service accounts only. */
  private void grantAccess(ReloadlyCredential credential, OwnedSecrets owned,
      List<Consumer> consumers) {
    boolean grant = credential.getSpec().getConsumers() != null
        && Boolean.TRUE.equals(credential.getSpec().getConsumers().getGrantAccess());
    access.apply(credential, grant, owned.targetName(), consumers.stream()
        .filter(c -> c.rolled() && c.workload().isPresent())
        .map(c -> c.workload().get().serviceAccount()).toList())
        .ifPresent(problem -> {
          if (accessWarned.add(key(credential.getMetadata().getNamespace(),
              credential.getMetadata().getName()))) {
            events.warning(credential, Conditions.TARGET_CONFLICT, problem);
          }
        });
  }

  /** Who else may read the credential's Secrets (target, and a secretRef source). */
  private Optional<Set<String>> unexpectedReaders(ReloadlyCredential credential,
      OwnedSecrets owned, List<Consumer> consumers) {
    String namespace = credential.getMetadata().getNamespace();
    Set<String> secrets = new java.util.HashSet<>(Set.of(owned.targetName()));
    Optional.ofNullable(credential.getSpec().getSource()).map(s -> s.getSecretRef())
        .ifPresent(ref -> secrets.add(ref.getName()));
    Set<String> allowed = new java.util.HashSet<>();
    consumers.stream().filter(c -> c.workload().isPresent())
        .forEach(c -> allowed.add("ServiceAccount:" + namespace + "/"
            + c.workload().get().serviceAccount()));
    allowed.add("ServiceAccount:" + operatorNamespace + "/" + OPERATOR_ACCOUNT);
    return Optional.of(SecretReaders.unexpected(namespace, secrets, new SecretReaders.Rbac(
        roles.list(namespace).toList(), roleBindings.list(namespace).toList(),
        clusterRoles.list().toList(), clusterRoleBindings.list().toList()), allowed));
  }

  /** Maps a Secret to the credentials whose spec.source.secretRef names it. */
  private static <S extends HasMetadata> SecondaryToPrimaryMapper<S> referencing(
      EventSourceContext<ReloadlyCredential> context) {
    return secret -> context.getPrimaryCache()
        .byIndex(SOURCE_INDEX,
            key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()))
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.<ResourceID>toSet());
  }

  /**
   * Maps a workload to the credentials of its namespace it matters to: those that declare it,
   * whose target Secret it reads, or that list it already (so a removal is noticed too).
   */
  private static SecondaryToPrimaryMapper<GenericKubernetesResource> consumedBy(
      EventSourceContext<ReloadlyCredential> context) {
    return resource -> {
      Optional<Workload> workload = Workload.from(resource);
      if (workload.isEmpty()) {
        return Set.of();
      }
      Workload w = workload.get();
      return context.getPrimaryCache().byIndex(NAMESPACE_INDEX, w.namespace()).stream()
          .filter(c -> c.getSpec() != null && concerns(c, w))
          .map(ResourceID::fromResource)
          .collect(Collectors.<ResourceID>toSet());
    };
  }

  private static boolean concerns(ReloadlyCredential credential, Workload w) {
    ReloadlyCredentialStatus status = credential.getStatus();
    if (status != null && status.getConsumers().stream()
        .anyMatch(c -> w.kind().name().equals(c.getKind()) && w.name().equals(c.getName()))) {
      return true;
    }
    if (w.reads(TargetSecret.name(credential), TargetSecret.keys(credential).accessToken())
        .any()) {
      return true;
    }
    try {
      return ConsumerPolicy.of(credential.getSpec().getConsumers()).declares(w);
    } catch (IllegalArgumentException e) {
      return false;
    }
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

  /** A deleted credential's workloads no longer count against the operator-wide rollout cap. */
  public void credentialDeleted(String namespace, String name) {
    slots.forget(key(namespace, name));
    eventLimit.forget(key(namespace, name) + "|");
    publishPolicyReportWithout(namespace, name);
    try {
      egress.credentialDeleted(namespace, name);
    } catch (RuntimeException e) {
      LOG.warn("could not remove the CiliumEgressGatewayPolicy of deleted credential {}/{} ({});"
          + " it is removed at the next start", namespace, name, e.getClass().getSimpleName());
    }
  }

  /**
   * Removes CiliumEgressGatewayPolicies whose credential is gone (deleted while no operator ran:
   * a cluster-scoped object cannot be owned by a credential, so no garbage collector removes it).
   */
  public void removeOrphanedGatewayPolicies() {
    if (credentials != null) {
      egress.removeOrphanedGateways((namespace, name) ->
          credentials.get(new ResourceID(name, namespace)).isPresent());
    }
  }

  /** The deny-list changed: every credential is reconciled once, so a listed version is refused. */
  public void denyListChanged() {
    if (credentials != null) {
      credentials.list().map(ResourceID::fromResource).forEach(keyChanges::propagateEvent);
    }
  }

  @Override
  public UpdateControl<ReloadlyCredential> reconcile(ReloadlyCredential credential,
      Context<ReloadlyCredential> context) {
    if (!inFlight.enter()) {
      // Stopping: whoever leads next reconciles every credential when it starts.
      return UpdateControl.noUpdate();
    }
    try {
      // Every log line of this reconcile carries one reconcileId (docs: README, Logging).
      return dev.reloadly.operator.logging.ReconcileIds.traced(
          () -> reconcileOnce(credential, context));
    } finally {
      inFlight.exit();
    }
  }

  /**
   * Starts no more reconciles and waits up to {@code timeout} for those under way; called before
   * JOSDK stops. JOSDK's own stop first empties the caches of the secondary resources, then
   * interrupts a reconcile still running: one interrupted between Reloadly's answer and the store
   * write loses the token it minted (the next leader mints another), and one that goes on reads
   * empty caches (no consumer left to restart: it would mark the rollout done).
   *
   * @return true when every reconcile finished
   */
  public boolean drain(Duration timeout) {
    try {
      return inFlight.close(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private UpdateControl<ReloadlyCredential> reconcileOnce(ReloadlyCredential credential,
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
      return finish(credential, context, status, requeue);
    }
    CredentialPolicy policy = CredentialPolicy.of(credential.getSpec());
    OperatorKeys keys = this.keys.get();
    StoredVersions stored;
    try {
      stored = owned.store();
    } catch (IllegalArgumentException e) {
      status.condition(READY, false, Conditions.STORE_DAMAGED, "store Secret "
          + owned.storeName() + " is damaged (" + e.getMessage() + "); nothing was changed");
      return finish(credential, context, status, requeue);
    }
    StoreIntegrity integrity = new StoreIntegrity(credential,
        StoreMac.derivedFrom(keys.fingerprinter()), keys.keks());
    StoreIntegrity.Checked checked = integrity.check(stored, context.getClient());
    if (checked.problem().isPresent()) {
      status.condition(READY, false, checked.reason(), "store Secret " + owned.storeName()
          + " is refused: " + checked.problem().get() + ". Nothing was served from it or"
          + " changed; see docs/crypto.md (store rollback)");
      return finish(credential, context, status, requeue);
    }
    stored = checked.store();

    SourceResult source = sources.read(credential, new WatchedSourceSecrets(
        context.getClient(), (ns, name) -> sourceSecrets.get(new ResourceID(name, ns))));
    Optional<CredentialMaterial> offered = Optional.empty();
    if (source instanceof SourceResult.Failed failed) {
      // No retry timer: a change to the source Secret, or its creation, triggers the reconcile.
      status.condition(SOURCE_READY, false, failed.reason(), failed.message());
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
      RolloutStatus rolled = credential.getStatus() == null ? null
          : credential.getStatus().getRollout();
      boolean retireNow = "now".equals(annotation(credential, ApiLabels.RETIRE_PREVIOUS));
      CredentialLifecycle.Outcome outcome = lifecycle.advance(new CredentialLifecycle.Input(
          key(credential.getMetadata().getNamespace(), credential.getMetadata().getName()),
          stored, offer, annotation(credential, ApiLabels.COMPROMISED), audience, policy, crypto,
          now, new CredentialLifecycle.RetireGate(
              fingerprint -> ConsumerRollout.settledOn(rolled, fingerprint), retireNow)));
      outcome.conditions().forEach(status::apply);
      outcome.warnings().forEach(w -> events.warning(credential, w.reason(), w.message()));
      outcome.retryAt().ifPresent(requeue::at);

      // The store is written before the target: a promotion is on record before it is served,
      // so an operator stopped in between resumes without promoting twice.
      // A compromised version is on the operator-wide deny-list before any store forgets it.
      denyList.listCompromised(outcome.stored().ledger(), credential.getMetadata().getNamespace(),
          credential.getMetadata().getName(), now);
      StoredVersions toWrite = integrity.forWrite(outcome.stored(), stored);
      if (owned.writeStore(toWrite) == OwnedSecretWriter.Outcome.CONFLICT) {
        outcome.token().ifPresent(TokenResult.Issued::wipe);
        status.condition(READY, false, Conditions.TARGET_CONFLICT, "Secret " + owned.storeName()
            + " exists and is not owned by this credential; it is left untouched");
        return finish(credential, context, status, requeue);
      }
      if (toWrite.signed()) {
        status.status().setStoreGeneration(toWrite.generation());
      }
      if (retireNow) {
        signals.clear(credential, ApiLabels.RETIRE_PREVIOUS)
            .ifPresent(patched -> cacheOwnWrite(context, credential, patched));
      }
      // Egress and compliance come before serving: a live credential's first release waits for
      // its checks (enforcement block), and they read what egress found.
      ConsumerPolicy consumerPolicy = ConsumerPolicy.of(credential.getSpec().getConsumers());
      List<Consumer> consumers = ConsumerDiscovery.find(consumerPolicy,
          workloads.in(credential.getMetadata().getNamespace()), owned.targetName(),
          TargetSecret.keys(credential).accessToken());
      pinEgress(credential, consumers, owned, status, requeue, now);
      grantAccess(credential, owned, consumers);
      ComplianceReport.Report checks = report(credential, new ComplianceFacts(
          credential.getSpec(), policy, outcome.stored().ledger(),
          status.status().getConditions(),
          source instanceof SourceResult.Read read ? read.origin() : null, consumers,
          outcome.stored().kekIds().stream().allMatch(id -> keys.keks().find(id).isPresent()),
          !(keys.keks().active() instanceof LocalKeyEncryptionKey), authUrl,
          HttpReloadlyTokenClient.TLS_PROTOCOLS, now,
          unexpectedReaders(credential, owned, consumers)), status, requeue);
      if (ReleaseGate.holds(credential, owned.target().isPresent(), checks)) {
        outcome.token().ifPresent(TokenResult.Issued::wipe);
        status.condition(READY, false, Conditions.COMPLIANCE_BLOCKED,
            ReleaseGate.message(checks));
        StatusViews.versions(status.status(), outcome.stored().ledger(), policy, status, now,
            requeue, Optional.empty());
        return finish(credential, context, status, requeue);
      }
      TargetServing.Served served = serving.serve(new TargetServing.Input(credential, owned,
          outcome.stored(), offer, outcome.token(), policy, crypto,
          Conditions.isTrue(status.status().getConditions(), SOURCE_READY), now));
      served.conditions().forEach(status::apply);
      served.nextDue().ifPresent(requeue::at);
      status.status().setTokenExpiresAt(served.tokenExpiresAt());
      if (served.forcedRefreshAnswered()) {
        // The next reconcile must not see the signal again from a lagging cache (it would mint a
        // second token), and the status write below must carry the new resourceVersion.
        signals.clear(credential, ApiLabels.REFRESH_TOKEN)
            .ifPresent(patched -> cacheOwnWrite(context, credential, patched));
      }
      Optional<Instant> rolledAt = rollConsumers(credential, consumerPolicy, consumers,
          outcome.stored().ledger(), served.heldBack(), owned, status, requeue, now);
      StatusViews.versions(status.status(), outcome.stored().ledger(), policy, status, now, requeue,
          rolledAt);
    } finally {
      offered.ifPresent(CredentialMaterial::close);
    }
    return finish(credential, context, status, requeue);
  }

  /**
   * Rolls the consumers onto what the target serves now; returns when they were all healthy on
   * the current version (the previous version's grace period counts from then).
   */
  private Optional<Instant> rollConsumers(ReloadlyCredential credential, ConsumerPolicy policy,
      List<Consumer> consumers, VersionLedger ledger, boolean heldBack, OwnedSecrets owned,
      StatusDraft status, Requeue requeue, Instant now) {
    String namespace = credential.getMetadata().getNamespace();
    // Held back, the target still serves an older version (or nothing): restarting onto the
    // current one now would have the consumers read the old values and never come back for it.
    Optional<String> serving = heldBack
        ? owned.target().map(t -> t.getMetadata().getAnnotations())
            .map(a -> a.get(ApiLabels.VERSION))
        : ledger.current().map(CredentialVersion::fingerprint);
    String revision = serving.orElseGet(() -> ledger.incidents().isEmpty() ? null
        : Revisions.withdrawn(ledger.incidents().get(ledger.incidents().size() - 1)
            .fingerprint()));
    Instant tokenIssuedAt = owned.target()
        .flatMap(t -> ServedToken.from(t.getMetadata().getAnnotations()))
        .map(ServedToken::issuedAt).orElse(null);
    ReloadlyCredentialStatus previous = credential.getStatus();
    ConsumerRollout.Result result = rollout.roll(new ConsumerRollout.Input(
        key(namespace, credential.getMetadata().getName()), policy, consumers,
        new ConsumerRollout.Served(revision, tokenIssuedAt, ledger::isCompromised),
        previous == null ? List.of() : previous.getConsumers(),
        previous == null ? null : previous.getRollout(), now));
    status.status().setConsumers(result.consumers());
    status.status().setRollout(result.rollout());
    status.apply(result.condition());
    result.nextDue().ifPresent(requeue::at);
    result.warnings().forEach(w -> events.warning(credential, w.reason(), w.message()));
    return ledger.current()
        .flatMap(c -> ConsumerRollout.settledOn(result.rollout(), c.fingerprint()));
  }

  /** Pins the consumers' egress to the NAT nodes and checks their IPs against the allowlist. */
  private void pinEgress(ReloadlyCredential credential, List<Consumer> consumers,
      OwnedSecrets owned, StatusDraft status, Requeue requeue, Instant now) {
    Optional<EgressSettings> settings = Optional.ofNullable(credential.getSpec().getEgress())
        .map(EgressSettings::of);
    CredentialEgress.Result result = egress.apply(new CredentialEgress.Input(credential, settings,
        natNodes.list().map(NatNode::of).toList(), consumers,
        status.observed(Conditions.EGRESS_ALLOWLISTED).map(c -> c.getMessage()).orElse(null)));
    status.status().setEgress(result.status());
    if (result.conditions().isEmpty()) {
      status.removeCondition(Conditions.EGRESS_READY);
      status.removeCondition(Conditions.EGRESS_ALLOWLISTED);
    }
    result.conditions().forEach(status::apply);
    result.warnings().forEach(w -> events.warning(credential, w.reason(), w.message()));
    metrics.notAllowlisted(credential.getMetadata().getNamespace(),
        credential.getMetadata().getName(), result.notAllowlisted());
    if (settings.isEmpty()) {
      status.removeCondition(Conditions.EGRESS_VERIFIED);
      return;
    }
    EgressSpec spec = credential.getSpec().getEgress();
    EgressProbe.Result probed = probe.probe(new EgressProbe.Input(credential, spec.getProbe(),
        Optional.ofNullable(credential.getStatus()).map(ReloadlyCredentialStatus::getEgress)
            .map(EgressStatus::getProbe).orElse(null),
        TargetSecret.mode(credential).includesToken(),
        name -> ProbeJobs.build(credential, name, owned.targetName(),
            TargetSecret.keys(credential).accessToken(), credential.getSpec().getProduct()
                .baseUrl(credential.getSpec().getEnvironment()) + "/accounts/balance",
            Optional.ofNullable(spec.getProbe().getImage()).filter(i -> !i.isBlank())
                .orElse(egressDefaults.probeImage()),
            LabelSelectors.isEmpty(settings.get().natNodeSelector())
                ? defaultNatNodes : settings.get().natNodeSelector(),
            settings.get().mode() == EgressMode.NetworkPolicy
                ? settings.get().proxyPorts().get(0) : null,
            spec.getProbe().getTolerations()),
        now));
    if (probed.remove()) {
      status.removeCondition(Conditions.EGRESS_VERIFIED);
      return;
    }
    if (result.status() != null) {
      result.status().setProbe(probed.status());
    }
    probed.condition().ifPresent(status::apply);
    probed.nextDue().ifPresent(requeue::at);
  }

  /** Checks the credential against Reloadly's guidelines (docs/compliance.md). */
  private ComplianceReport.Report report(ReloadlyCredential credential, ComplianceFacts facts,
      StatusDraft status, Requeue requeue) {
    ComplianceReport.Report report = compliance.run(facts,
        credential.getStatus() == null ? null : credential.getStatus().getCompliance());
    status.status().setCompliance(report.status());
    status.apply(report.condition());
    report.nextDue().ifPresent(requeue::at);
    metrics.compliance(credential.getMetadata().getNamespace(), credential.getMetadata().getName(),
        report.status().getChecks().stream().collect(Collectors.toMap(c -> c.getName(),
            c -> c.getResult(), (a, b) -> a)), report.score());
    return report;
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
    metrics.reconcileFailed();
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  private UpdateControl<ReloadlyCredential> finish(ReloadlyCredential credential,
      Context<ReloadlyCredential> context, StatusDraft status, Requeue requeue) {
    StatusViews.summaries(status.status());
    boolean changed = status.changed();
    if (changed) {
      Optional<ReloadlyCredential> written = statusWriter.write(credential, status.status());
      if (written.isEmpty()) {
        // Computed from an older copy: write nothing, record nothing, and start again from fresh.
        LOG.debug("status of {}/{} changed meanwhile; reconciling again",
            credential.getMetadata().getNamespace(), credential.getMetadata().getName());
        return UpdateControl.<ReloadlyCredential>noUpdate().rescheduleAfter(CONFLICT_RETRY);
      }
      cacheOwnWrite(context, credential, written.get());
      RolloutTransitions.Counts rolled =
          RolloutTransitions.between(credential.getStatus(), status.status());
      metrics.rollouts(rolled.completed(), rolled.stalled());
    }
    // Events follow a written status, so a conflicting reconcile never announces a transition twice.
    recordTransitions(credential, status);
    // The report is built from statuses: it can only have changed with this one (or be unknown
    // to this process since it started).
    if (policyReports.due(credential.getMetadata().getNamespace(), changed)) {
      publishPolicyReport(credential.getMetadata().getNamespace(), credential, status.status());
    }
    List<io.fabric8.kubernetes.api.model.Condition> conditions = status.status().getConditions();
    metrics.observe(credential.getMetadata().getNamespace(), credential.getMetadata().getName(),
        new CredentialMetrics.Observation(Conditions.isTrue(conditions, READY),
            Conditions.isTrue(conditions, Conditions.ROTATION_DUE),
            Conditions.isTrue(conditions, Conditions.ROTATION_OVERDUE),
            status.status().getSealingKey() != null
                && Boolean.FALSE.equals(status.status().getSealingKey().getNewest()),
            Conditions.find(conditions, Conditions.ROLLOUT_COMPLETE)
                .map(c -> Conditions.ROLLOUT_STALLED.equals(c.getReason())).orElse(false)));
    metrics.times(credential.getMetadata().getNamespace(), credential.getMetadata().getName(),
        StatusViews.times(status.status()));
    metrics.reconciled();
    UpdateControl<ReloadlyCredential> control = UpdateControl.noUpdate();
    requeue.delay().ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * The namespace's PolicyReport, from the credentials' compliance in the cache, with
   * {@code current} (just reconciled, its status maybe not in the cache yet) in place. Never
   * fails the reconcile.
   */
  private void publishPolicyReport(String namespace, ReloadlyCredential current,
      ReloadlyCredentialStatus currentStatus) {
    if (credentials == null) {
      return;
    }
    try {
      List<ReloadlyCredential> all = new ArrayList<>();
      credentials.byIndex(NAMESPACE_INDEX, namespace).stream()
          .filter(c -> !c.getMetadata().getName().equals(current.getMetadata().getName()))
          .forEach(all::add);
      ReloadlyCredential fresh = new ReloadlyCredential();
      fresh.setMetadata(current.getMetadata());
      fresh.setStatus(currentStatus);
      all.add(fresh);
      policyReports.write(PolicyReports.build(namespace, all));
    } catch (RuntimeException e) {
      LOG.warn("could not write PolicyReport {}/{} ({}); the next reconcile retries", namespace,
          PolicyReports.NAME, e.getClass().getSimpleName());
    }
  }

  private void publishPolicyReportWithout(String namespace, String name) {
    if (credentials == null) {
      return;
    }
    try {
      policyReports.write(PolicyReports.build(namespace,
          credentials.byIndex(NAMESPACE_INDEX, namespace).stream()
              .filter(c -> !c.getMetadata().getName().equals(name)).toList()));
    } catch (RuntimeException e) {
      LOG.warn("could not write PolicyReport {}/{} ({})", namespace, PolicyReports.NAME,
          e.getClass().getSimpleName());
    }
  }

  /** Events on transitions only (see {@link EventPolicy}), so a steady state records none. */
  private void recordTransitions(ReloadlyCredential credential, StatusDraft status) {
    for (String type : EventPolicy.TYPES) {
      status.drafted(type)
          .flatMap(after -> EventPolicy.decide(type, status.observed(type), after))
          .filter(e -> !EventPolicy.RATE_LIMITED.contains(type) || eventLimit.allow(
              key(credential.getMetadata().getNamespace(), credential.getMetadata().getName())
                  + "|" + type, status.now()))
          .ifPresent(e -> {
            if (e.warning()) {
              events.warning(credential, e.reason(), e.message());
            } else {
              events.normal(credential, e.reason(), e.message());
            }
          });
    }
  }

  /**
   * Read-your-writes for the credential itself: the primary cache serves what this reconcile
   * wrote until the watch delivers it, and later writes of this reconcile carry its
   * resourceVersion.
   */
  private static void cacheOwnWrite(Context<ReloadlyCredential> context,
      ReloadlyCredential credential, ReloadlyCredential written) {
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(written), written, credential);
    credential.getMetadata().setAnnotations(written.getMetadata().getAnnotations());
    credential.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
  }

  private static String annotation(ReloadlyCredential credential, String key) {
    Map<String, String> annotations = credential.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
