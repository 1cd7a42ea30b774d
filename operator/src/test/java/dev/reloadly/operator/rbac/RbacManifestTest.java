package dev.reloadly.operator.rbac;

import static dev.reloadly.operator.testing.CredentialFixtures.b64;
import static dev.reloadly.operator.testing.CredentialFixtures.seal;
import static dev.reloadly.operator.testing.CredentialFixtures.sealedCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.secretRefCredential;
import static dev.reloadly.operator.testing.CredentialFixtures.sourceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.cli.ClusterConnection;
import dev.reloadly.operator.config.LeaderElection;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.crypto.SealingScope;
import dev.reloadly.operator.demo.EmbeddedApiServer;
import dev.reloadly.operator.keys.OperatorKeyStore;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.testing.CredentialFixtures;
import dev.reloadly.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.config.RolloutSettings;
import dev.reloadly.operator.testing.ArgoRolloutsDiscovery;
import dev.reloadly.operator.testing.CrdDiscovery;
import dev.reloadly.operator.testing.Workloads;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;

/**
 * The RBAC of deploy/ is exact. The operator's main scenarios run against an API server that
 * answers 403 to any request of the operator the manifest does not grant (so a new API call
 * without a new rule fails here, naming the request), and every verb of every rule must be used
 * by some scenario (so nothing is granted that the code does not need).
 */
class RbacManifestTest {
  static final Path DEPLOY = Path.of(System.getProperty("project.root", "..")).resolve("deploy");
  static final String ACCOUNT = "reloadly-credential-operator";
  static final String USER = "system:serviceaccount:" + OperatorHarness.OPERATOR_NAMESPACE + ":"
      + ACCOUNT;
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String ID = "client-7";

  /**
   * Rules no request can use, each for a reason. The finalizers subresource is checked by the
   * OwnerReferencesPermissionEnforcement admission plugin when the operator sets
   * blockOwnerDeletion on a Secret; no request goes to it. JOSDK checks at start (through a
   * SelfSubjectRulesReview) that get, create and update are granted on the Lease, but the
   * Fabric8 leader elector renews and releases it with a merge patch.
   */
  static final Set<String> NEEDED_WITHOUT_A_REQUEST = Set.of(
      "update reloadlycredentials/finalizers",
      "update leases");


  private OperatorHarness harness;
  private AuthorizingDispatcher authorizer;
  private Set<String> knownGaps = Set.of();
  private OperatorConfig config;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void manifestsHaveNoWildcards() throws Exception {
    for (Path manifest : List.of(DEPLOY.resolve("cluster/rbac.yaml"),
        DEPLOY.resolve("namespaced/rbac.yaml"))) {
      RbacPolicy policy = RbacPolicy.load(manifest, OperatorHarness.OPERATOR_NAMESPACE, ACCOUNT);
      assertThat(policy.grants()).as(manifest + " binds rules to " + USER).isNotEmpty();
      assertThat(policy.grants()).allSatisfy(g -> {
        assertThat(g.rule().getVerbs()).as(g.toString()).doesNotContain("*");
        assertThat(g.rule().getApiGroups()).as(g.toString()).doesNotContain("*");
        assertThat(g.rule().getResources()).as(g.toString()).noneMatch(r -> r.contains("*"));
      });
      assertThat(Files.readString(manifest)).doesNotContain("\"*\"");
    }
  }

  @Test
  void clusterManifestGrantsExactlyWhatTheOperatorUses() {
    RbacPolicy policy = start("cluster/rbac.yaml", Set.of(), Set.of());

    runScenarios(true);

    assertNoDenials(Set.of());
    assertEveryRuleUsed(policy);
  }

  @Test
  void namespacedManifestGrantsExactlyWhatTheOperatorUses() {
    // Key maintenance lists store Secrets per watched namespace, so the namespaced variant
    // re-wraps every store too.
    RbacPolicy policy = start("namespaced/rbac.yaml", Set.of(CredentialFixtures.NAMESPACE),
        Set.of());

    runScenarios(true);

    assertNoDenials(Set.of());
    assertEveryRuleUsed(policy);
  }

  private RbacPolicy start(String manifest, Set<String> watchNamespaces, Set<String> knownGaps) {
    RbacPolicy policy = RbacPolicy.load(DEPLOY.resolve(manifest),
        OperatorHarness.OPERATOR_NAMESPACE, ACCOUNT);
    harness = new OperatorHarness(Clock.systemUTC(), EmbeddedApiServer.start(crud ->
        authorizer = new AuthorizingDispatcher(new CrdDiscovery(new CrdDiscovery(
            ArgoRolloutsDiscovery.wrap(crud), "cilium.io/v2", "CiliumEgressGatewayPolicy",
            "ciliumegressgatewaypolicies", false), "wgpolicyk8s.io/v1alpha2", "PolicyReport",
            "policyreports", true),
            policy,
            EmbeddedApiServer.OPERATOR_TOKEN,
            USER)));
    this.knownGaps = knownGaps;
    harness.simulator().allowCredential(ID, "secret-1");
    harness.simulator().allowCredential("sealed-id", "sealed-secret");
    OperatorConfig base = harness.config();
    config = new OperatorConfig(base.namespace(), watchNamespaces, base.reloadlyAuthUrl(),
        base.metricsPort(), base.maxConcurrentTokenRequests(), base.sealingKeyRenewal(),
        base.kekRotation(), new LeaderElection(true, LeaderElection.DEFAULT_LEASE_NAME,
            "replica-a", Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(250),
            false), base.kek(), base.incidentHistory(), new RolloutSettings(10, true),
        base.egress(), base.compliance());
    return policy;
  }

  /** Start, secretRef, sealed, rotation, refresh, compromise, rename, KEK rotation, restart. */
  private void runScenarios(boolean rewrapExpected) {
    if (config.watchNamespaces().isEmpty()) {
      // What `run` does first: read its own namespace (the namespaced variant has no
      // ClusterRole for it, and `run` skips the check on a 403).
      harness.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
          .withName(OperatorHarness.OPERATOR_NAMESPACE).endMetadata().build()).create();
      try (KubernetesClient operator = harness.server().newOperatorClient()) {
        ClusterConnection.requireNamespace(operator, OperatorHarness.OPERATOR_NAMESPACE,
            "--namespace");
      }
    }
    harness.start(config);
    awaitChecked(() -> assertThat(harness.runtime().leading()).isTrue());

    // A secretRef credential, its source Secret unlabelled as users create it, served a token.
    harness.client().resource(sourceSecret("src", ID, "secret-1")).create();
    // Its consumers, one of each kind, restarted when a new version is served.
    Consumers consumers = new Consumers();
    consumers.setDelay("0s");
    consumers.setMaxConcurrent(4);
    List<WorkloadRef> refs = new java.util.ArrayList<>();
    for (WorkloadKind kind : WorkloadKind.values()) {
      String name = "api-" + kind.name().toLowerCase(java.util.Locale.ROOT);
      Workloads.create(harness.client(), Workloads.workload(kind, CredentialFixtures.NAMESPACE,
          name, "shop-reloadly", Workloads.Reading.VOLUME));
      WorkloadRef ref = new WorkloadRef();
      ref.setKind(kind);
      ref.setName(name);
      refs.add(ref);
    }
    consumers.setWorkloads(refs);
    ReloadlyCredential shop = secretRefCredential("shop", "src", TargetMode.TOKEN);
    shop.getSpec().setConsumers(consumers);
    harness.client().resource(shop).create();
    awaitChecked(() -> {
      assertThat(harness.condition("shop", Conditions.READY)).map(Condition::getStatus)
          .contains("True");
      assertThat(harness.secret("shop-reloadly").getData()).containsKey("access_token");
    });
    String first = servedVersion("shop-reloadly");

    // A sealed credential, sealed with the published key.
    // Its consumer is rolled by eviction: a Deployment with one Ready pod.
    Workloads.create(harness.client(), Workloads.workload(WorkloadKind.Deployment,
        CredentialFixtures.NAMESPACE, "evicted", "sealed-reloadly", Workloads.Reading.VOLUME));
    harness.client().pods().inNamespace(CredentialFixtures.NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName("evicted-1").addToLabels("app", "evicted").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example.com/app:1")
        .endContainer().endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build()).create();
    ReloadlyCredential sealed = sealedCredential("sealed",
        seal(harness.client(), "sealed", SealingScope.CLIENT_ID, "sealed-id"),
        seal(harness.client(), "sealed", SealingScope.CLIENT_SECRET, "sealed-secret"),
        TargetMode.CREDENTIALS);
    Consumers evict = new Consumers();
    evict.setStrategy(RolloutStrategy.EVICT);
    WorkloadRef evicted = new WorkloadRef();
    evicted.setKind(WorkloadKind.Deployment);
    evicted.setName("evicted");
    evict.setWorkloads(List.of(evicted));
    sealed.getSpec().setConsumers(evict);
    harness.client().resource(sealed).create();
    awaitChecked(() -> assertThat(harness.secret("sealed-reloadly")).isNotNull());

    // A rotation: the source changes, the new version is validated and served.
    harness.simulator().rotateCredential(ID, "secret-2");
    harness.client().resource(new SecretBuilder(harness.secret("src"))
        .withData(Map.of("client_id", b64(ID), "client_secret", b64("secret-2"))).build())
        .update();
    awaitChecked(() -> assertThat(servedVersion("shop-reloadly")).isNotNull().isNotEqualTo(first));
    String second = servedVersion("shop-reloadly");
    awaitChecked(() -> {
      for (WorkloadKind kind : WorkloadKind.values()) {
        assertThat(Workloads.restartedFor(harness.client(), kind, CredentialFixtures.NAMESPACE,
            "api-" + kind.name().toLowerCase(java.util.Locale.ROOT))).isEqualTo(second);
      }
    });

    // The refresh-token annotation: a new token, and the annotation removed by the operator.
    String token = harness.secret("shop-reloadly").getData().get("access_token");
    annotate("shop", ApiLabels.REFRESH_TOKEN, "please");
    awaitChecked(() -> {
      assertThat(harness.secret("shop-reloadly").getData().get("access_token"))
          .isNotEqualTo(token);
      assertThat(harness.credential("shop").getMetadata().getAnnotations())
          .doesNotContainKey(ApiLabels.REFRESH_TOKEN);
    });

    // A compromise report.
    annotate("shop", ApiLabels.COMPROMISED, "pasted in a public channel");
    awaitChecked(() -> assertThat(harness.condition("shop", Conditions.CREDENTIAL_COMPROMISED))
        .map(Condition::getStatus).contains("True"));

    // A target rename: the old target Secret is deleted.
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName("sealed").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"target\":{\"secretName\":\"sealed-renamed\"}}}");
    awaitChecked(() -> {
      assertThat(harness.secret("sealed-renamed")).isNotNull();
      assertThat(harness.secret("sealed-reloadly")).isNull();
    });

    // A KEK rotation asked for as `rotate-kek` does, then the re-wrap of every store.
    String oldKek = harness.runtime().keys().get().keks().active().keyId();
    harness.client().secrets().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.SECRET).edit(s -> new SecretBuilder(s).editMetadata()
            .addToAnnotations(OperatorKeyStore.ROTATE_KEK, "now").endMetadata().build());
    awaitChecked(() -> {
      String active = harness.runtime().keys().get().keks().active().keyId();
      assertThat(active).isNotEqualTo(oldKek);
      if (rewrapExpected) {
        // The compromised credential's store may hold no value any more; the other one must.
        assertThat(kekIds("shop")).isSubsetOf(active);
        assertThat(kekIds("sealed")).containsExactly(active);
      }
    });

    // consumers.grantAccess: a Role and RoleBinding written, changed, then removed.
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName("shop").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"consumers\":{\"grantAccess\":true}}}");
    awaitChecked(() -> assertThat(harness.client().rbac().roleBindings()
        .inNamespace(CredentialFixtures.NAMESPACE).withName("shop-reader").get()).isNotNull());
    harness.client().apps().deployments().inNamespace(CredentialFixtures.NAMESPACE)
        .withName("api-deployment").edit(d -> {
          d.getSpec().getTemplate().getSpec().setServiceAccountName("payments-api");
          return d;
        });
    awaitChecked(() -> assertThat(harness.client().rbac().roleBindings()
        .inNamespace(CredentialFixtures.NAMESPACE).withName("shop-reader").get().getSubjects())
        .anySatisfy(s -> assertThat(s.getName()).isEqualTo("payments-api")));
    // A renamed target changes the Role's resourceNames; then back.
    for (String target : new String[] {"\"shop-renamed\"", "null"}) {
      harness.client().resources(ReloadlyCredential.class)
          .inNamespace(CredentialFixtures.NAMESPACE).withName("shop")
          .patch(PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"target\":{\"secretName\":" + target + "}}}");
      String expected = target.equals("null") ? "shop-reloadly" : "shop-renamed";
      awaitChecked(() -> assertThat(harness.client().rbac().roles()
          .inNamespace(CredentialFixtures.NAMESPACE).withName("shop-reader").get().getRules()
          .get(0).getResourceNames()).containsExactly(expected));
    }
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName("shop").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"consumers\":{\"grantAccess\":false}}}");
    awaitChecked(() -> assertThat(harness.client().rbac().roles()
        .inNamespace(CredentialFixtures.NAMESPACE).withName("shop-reader").get()).isNull());

    // Egress: a NAT node, the consumers' NetworkPolicy created, changed with the nodes, removed.
    harness.client().resource(new NodeBuilder().withNewMetadata().withName("nat-a")
        .addToLabels("security.reloadly.dev/nat-node", "true").endMetadata().withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
        .build()).create();
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName("shop").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"egress\":{\"allowlistedIPs\":[\"203.0.113.7/32\"],"
                + "\"probe\":{\"enabled\":true}}}}");
    awaitChecked(() -> assertThat(harness.client().batch().v1().jobs()
        .inNamespace(CredentialFixtures.NAMESPACE).list().getItems()).isNotEmpty());
    awaitChecked(() -> assertThat(harness.client().network().v1().networkPolicies()
        .inNamespace(CredentialFixtures.NAMESPACE).withName("shop-egress-api-deployment").get())
        .isNotNull());
    harness.client().nodes().withName("nat-a").edit(n -> {
      n.getStatus().getAddresses().get(0).setAddress("10.0.0.2");
      return n;
    });
    awaitChecked(() -> assertThat(harness.client().network().v1().networkPolicies()
        .inNamespace(CredentialFixtures.NAMESPACE).withName("shop-egress-api-deployment").get()
        .getSpec().getEgress().get(1).getTo().get(0).getIpBlock().getCidr())
        .isEqualTo("10.0.0.2/32"));
    // The Cilium egress gateway: one cluster-scoped policy, created, changed, then removed.
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName("shop").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"egress\":{\"mode\":\"CiliumEgressGateway\"}}}");
    awaitChecked(() -> assertThat(gateway()).isNotNull());
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName("shop").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"egress\":{\"egressIP\":\"192.0.2.10\"}}}");
    awaitChecked(() -> assertThat(gateway().getAdditionalProperties().get("spec").toString())
        .contains("192.0.2.10"));
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName("shop").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"egress\":{\"mode\":\"NetworkPolicy\"}}}");
    awaitChecked(() -> assertThat(gateway()).isNull());
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName("shop").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"egress\":null}}");
    awaitChecked(() -> assertThat(harness.client().network().v1().networkPolicies()
        .inNamespace(CredentialFixtures.NAMESPACE).withName("shop-egress-api-deployment").get())
        .isNull());

    // A second report: the deny-list Secret, created by the first, is updated.
    annotate("sealed", ApiLabels.COMPROMISED, "found in a build log");
    awaitChecked(() -> assertThat(harness.condition("sealed", Conditions.CREDENTIAL_COMPROMISED))
        .map(Condition::getStatus).contains("True"));
    // The compromise rolls its consumer at once: its pod is evicted.
    awaitChecked(() -> assertThat(harness.server().writesTo("/pods/evicted-1/eviction"))
        .isPositive());

    // A restart repairs a ConfigMap of public keys someone changed.
    harness.stop();
    harness.client().configMaps().inNamespace(OperatorHarness.OPERATOR_NAMESPACE)
        .withName(OperatorKeyStore.CONFIG_MAP).edit(c -> {
          c.getData().put(OperatorKeyStore.PUBLIC_KEYS, "planted");
          return c;
        });
    harness.start(config);
    awaitChecked(() -> assertThat(harness.client().configMaps()
        .inNamespace(OperatorHarness.OPERATOR_NAMESPACE).withName(OperatorKeyStore.CONFIG_MAP)
        .get().getData().get(OperatorKeyStore.PUBLIC_KEYS)).isNotEqualTo("planted"));
    awaitChecked(() -> assertThat(harness.runtime().leading()).isTrue());
    assertThat(harness.client().v1().events().inNamespace(CredentialFixtures.NAMESPACE).list()
        .getItems()).as("the operator recorded Events").isNotEmpty();
    // Stopping releases the Lease.
    harness.stop();
  }

  private io.fabric8.kubernetes.api.model.GenericKubernetesResource gateway() {
    return harness.client().genericKubernetesResources(
        dev.reloadly.operator.egress.GatewayPolicies.CONTEXT)
        .withName(CredentialFixtures.NAMESPACE + "-shop").get();
  }

  /** Waits for the assertion, but fails at once, naming it, when a request was denied. */
  private void awaitChecked(ThrowingRunnable assertion) {
    await().atMost(WAIT).failFast(() -> assertNoDenials(knownGaps)).untilAsserted(assertion);
  }

  private void assertNoDenials(Set<String> known) {
    List<String> denied = authorizer.denied().stream().map(ApiRequest::toString)
        .filter(d -> !known.contains(d)).distinct().toList();
    assertThat(denied).as("requests of the operator that deploy/ does not grant; add a rule (or"
        + " remove the call) for each").isEmpty();
  }

  private void assertEveryRuleUsed(RbacPolicy policy) {
    Set<String> used = authorizer.used();
    List<String> unused = policy.grants().stream()
        .flatMap(g -> g.rule().getResources().stream().flatMap(resource ->
            g.rule().getVerbs().stream()
                .filter(verb -> !NEEDED_WITHOUT_A_REQUEST.contains(verb + " " + resource))
                .map(verb -> AuthorizingDispatcher.unit(g, verb, resource))))
        .filter(unit -> !used.contains(unit))
        .toList();
    assertThat(unused).as("rules of the manifest no scenario used: remove them, or add the"
        + " scenario that needs them (or explain in NEEDED_WITHOUT_A_REQUEST)").isEmpty();
  }

  private void annotate(String name, String key, String value) {
    harness.client().resources(ReloadlyCredential.class).inNamespace(CredentialFixtures.NAMESPACE)
        .withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  private Set<String> kekIds(String credential) {
    return StoredVersions.parse(harness.secret(StoredVersions.secretName(credential)).getData())
        .kekIds();
  }

  private String servedVersion(String target) {
    Secret secret = harness.secret(target);
    return secret == null || secret.getMetadata().getAnnotations() == null ? null
        : secret.getMetadata().getAnnotations().get(ApiLabels.VERSION);
  }
}
