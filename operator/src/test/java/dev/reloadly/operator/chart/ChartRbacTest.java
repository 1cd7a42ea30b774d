package dev.reloadly.operator.chart;

import static dev.reloadly.operator.chart.ChartValues.DEFAULTS;
import static dev.reloadly.operator.chart.ChartValues.NAMESPACED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.chart.RbacGrants.Grant;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart grants exactly the RBAC of deploy/, which RbacManifestTest proves is what the
 * operator uses: permission for permission, with the manifests' operator namespace
 * (reloadly-system) as the release namespace and their "payments" pair copied to every watched
 * namespace.
 */
class ChartRbacTest {
  static final Path DEPLOY = HelmChart.ROOT.resolve("deploy");
  static final String ACCOUNT = "reloadly-credential-operator";
  static final String ARGO = "argoproj.io";

  @TempDir Path work;
  private HelmChart chart;

  @BeforeEach
  void chart() {
    chart = new HelmChart(work);
  }

  @Test
  void allNamespacesGrantExactlyTheClusterManifest() throws IOException {
    // RbacManifestTest runs with Argo Rollouts on, so the manifests keep their rule.
    Set<Grant> manifest = manifest("cluster/rbac.yaml");
    assertThat(grants(chart.template(DEFAULTS + "argoRollouts: true\n")))
        .containsExactlyElementsOf(manifest);
    assertThat(grants(chart.template(DEFAULTS))).as("without Argo Rollouts, no rule for them")
        .containsExactlyElementsOf(withoutArgo(manifest));
  }

  @Test
  void watchedNamespacesGrantExactlyTheNamespacedManifestInEachOfThem() throws IOException {
    Set<Grant> manifest = RbacGrants.copiedTo(manifest("namespaced/rbac.yaml"), "payments",
        List.of("payments", "billing"));
    assertThat(grants(chart.template(NAMESPACED + "argoRollouts: true\n")))
        .containsExactlyElementsOf(manifest);
    assertThat(grants(chart.template(NAMESPACED)))
        .containsExactlyElementsOf(withoutArgo(manifest));
  }

  @Test
  void namesTheManifestsHardCodeFollowTheReleaseNamespaceAndTheLeaseName() {
    Rendered rendered = chart.template("operators", DEFAULTS + """
        leaderElection:
          leaseName: rco-leader
        """);
    Set<String> grants = grants(rendered, "operators").stream().map(Grant::toString)
        .collect(java.util.stream.Collectors.toSet());
    assertThat(grants).contains("(cluster) get core/namespaces operators",
        "operators patch coordination.k8s.io/leases rco-leader");
    assertThat(grants).noneMatch(g -> g.contains("reloadly-system"))
        .noneMatch(g -> g.contains("leases reloadly-credential-operator"));
    assertThat(rendered.env()).containsEntry("LEASE_NAME", "rco-leader");
  }

  @Test
  void withoutLeaderElectionNoLeaseIsGranted() {
    Rendered rendered = chart.template(DEFAULTS + """
        replicaCount: 1
        leaderElection:
          enabled: false
        """);
    assertThat(grants(rendered)).noneMatch(g -> g.resource().equals("leases"));
    assertThat(rendered.env()).containsEntry("LEADER_ELECTION", "false")
        .doesNotContainKey("LEASE_NAME");
  }

  @Test
  void noRuleHasAWildcard() {
    for (String values : List.of(DEFAULTS, NAMESPACED)) {
      Rendered rendered = chart.template(values + "argoRollouts: true\n");
      Stream<PolicyRule> rules = Stream.concat(
          rendered.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
          rendered.all(Role.class).stream().flatMap(r -> r.getRules().stream()));
      assertThat(rules).isNotEmpty().allSatisfy(rule -> {
        assertThat(rule.getVerbs()).doesNotContain("*");
        assertThat(rule.getApiGroups()).doesNotContain("*");
        assertThat(rule.getResources()).noneMatch(r -> r.contains("*"));
        assertThat(rule.getResourceNames()).doesNotContain("*");
        assertThat(rule.getNonResourceURLs()).isEmpty();
      });
      assertThat(rendered.all(ClusterRole.class))
          .allSatisfy(role -> assertThat(role.getAggregationRule()).isNull());
    }
  }

  private static Set<Grant> grants(Rendered rendered) {
    return grants(rendered, HelmChart.NAMESPACE);
  }

  /** What the chart's bindings grant the chart's ServiceAccount. */
  private static Set<Grant> grants(Rendered rendered, String namespace) {
    ServiceAccount account = rendered.one(ServiceAccount.class);
    assertThat(account.getMetadata().getNamespace()).isEqualTo(namespace);
    return RbacGrants.of(rendered.objects(), namespace, account.getMetadata().getName());
  }

  private static Set<Grant> manifest(String file) throws IOException {
    List<HasMetadata> objects = StrictManifests.parse(Files.readString(DEPLOY.resolve(file)));
    return RbacGrants.of(objects, HelmChart.NAMESPACE, ACCOUNT);
  }

  private static Set<Grant> withoutArgo(Set<Grant> grants) {
    Set<Grant> without = new TreeSet<>(grants);
    assertThat(without.removeIf(g -> g.apiGroup().equals(ARGO))).as("manifest has Argo rule")
        .isTrue();
    return without;
  }
}
