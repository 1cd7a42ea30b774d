package dev.reloadly.operator.chart;

import static dev.reloadly.operator.chart.ChartValues.DEFAULTS;
import static dev.reloadly.operator.chart.ChartValues.EVERYTHING_ON;
import static dev.reloadly.operator.chart.ChartValues.IMAGE_REPOSITORY;
import static dev.reloadly.operator.chart.ChartValues.NAMESPACED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart, rendered by the real Helm and read strictly: what each object says for the default
 * install, a namespace-scoped one and one with every option on. RBAC: ChartRbacTest; values
 * validation: ChartValuesSchemaTest.
 */
class HelmChartTest {
  static final String TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  static final String SELECTOR_COMPONENT = "app.kubernetes.io/component";

  @TempDir Path work;
  private HelmChart chart;

  @BeforeEach
  void chart() {
    chart = new HelmChart(work);
  }

  @Test
  void lintPassesStrictWithTheDefaultsAndWithWatchedNamespaces() {
    for (String values : List.of(DEFAULTS, NAMESPACED, EVERYTHING_ON)) {
      LintResult lint = chart.lint(values);
      assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
      assertThat(lint.getMessages()).as("helm lint --strict with\n%s", values)
          .noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
    }
  }

  @Test
  void everyOptionRendersObjectsTheApiServerWouldRead() {
    // template() reads every object strictly; this names what each install renders.
    assertThat(kinds(chart.template(DEFAULTS))).containsExactlyInAnyOrder("ClusterRole",
        "ClusterRoleBinding", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "Role",
        "RoleBinding", "Service", "ServiceAccount");
    assertThat(kinds(chart.template(EVERYTHING_ON))).containsExactlyInAnyOrder("ClusterRole",
        "ClusterRoleBinding", "ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget",
        "PrometheusRule", "Role", "Role", "Role", "RoleBinding", "RoleBinding", "RoleBinding",
        "Service", "ServiceAccount", "ServiceMonitor");
    assertThat(chart.template(DEFAULTS).objects()).allSatisfy(object -> {
      assertThat(object.getMetadata().getLabels()).containsKeys("app.kubernetes.io/name",
          "app.kubernetes.io/instance", "app.kubernetes.io/version",
          "app.kubernetes.io/managed-by", "helm.sh/chart");
    });
  }

  @Test
  void strictReadingRejectsAMisspeltFieldAndAMistypedValue() {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          replicas: 2
          template:
            spec:
              containers:
                - name: x
                  %s
        """;
    assertThat(StrictManifests.parse(deployment.formatted("image: x"))).hasSize(1);
    assertThatThrownBy(() -> StrictManifests.parse(deployment.formatted("imgae: x")))
        .hasMessageContaining("imgae");
    assertThatThrownBy(() -> StrictManifests.parse(deployment.formatted(
        "env: [{name: PORT, value: 8080}]"))).hasMessageContaining("value");
    assertThatThrownBy(() -> StrictManifests.parse(deployment.formatted(
        "ports: [{containerPort: \"8080\"}]"))).hasMessageContaining("containerPort");
    assertThatThrownBy(() -> StrictManifests.parse("apiVersion: v1\nkind: Secret\n"))
        .hasMessageContaining("no model for v1 Secret");
  }

  @Test
  void theDeploymentRunsTwoLeaderElectedReplicasOfTheImageWithTheJarsDefaults() {
    Rendered rendered = chart.template(DEFAULTS);
    assertThat(rendered.deployment().getSpec().getReplicas()).isEqualTo(2);
    Container operator = rendered.operator();
    assertThat(operator.getImage()).isEqualTo(IMAGE_REPOSITORY + ":0.1.0");
    // The image's entrypoint is java -jar; the chart only names the command.
    assertThat(operator.getCommand()).isEmpty();
    assertThat(operator.getArgs()).containsExactly("run");
    // Only what the chart decides; everything else is left to the jar's defaults.
    assertThat(rendered.env()).containsExactly(
        entry("OPERATOR_NAMESPACE", "fieldRef:metadata.namespace"),
        entry("LEADER_ELECTION", "true"),
        entry("LEASE_NAME", "reloadly-credential-operator"),
        entry("LOG_FORMAT", "plain"),
        entry("METRICS_PORT", "8080"),
        entry("ARGO_ROLLOUTS", "false"),
        entry("KEK_PROVIDER", "local"),
        entry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=50 -XX:+UseSerialGC"
            + " -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"));
    assertThat(operator.getResources().getRequests()).containsExactly(
        entry("cpu", new Quantity("100m")), entry("memory", new Quantity("256Mi")));
    assertThat(operator.getResources().getLimits()).containsExactly(
        entry("memory", new Quantity("512Mi")));
  }

  @Test
  void everyOperatorSettingReachesTheContainer() {
    Rendered rendered = chart.template(EVERYTHING_ON);
    assertThat(rendered.env()).containsAllEntriesOf(Map.ofEntries(
        entry("WATCH_NAMESPACES", "payments,billing"),
        entry("LOG_FORMAT", "json"),
        entry("RELOADLY_AUTH_URL", "https://auth.reloadly.example/oauth/token"),
        entry("RELOADLY_PROXY", "egress-proxy.egress.svc:3128"),
        entry("MAX_CONCURRENT_TOKEN_REQUESTS", "8"),
        entry("MAX_CONCURRENT_ROLLOUTS", "20"),
        entry("INCIDENT_HISTORY", "7"),
        entry("SEALING_KEY_RENEWAL", "14d"),
        entry("KEK_ROTATION", "60d"),
        entry("ARGO_ROLLOUTS", "true"),
        entry("NAT_NODE_SELECTOR", "role=nat"),
        entry("PROBE_IMAGE", "registry.example.com/curl:8"),
        entry("FREE_MAIL_DOMAINS", "mail.example,post.example"),
        entry("KEK_PROVIDER", "kms-v2"),
        entry("KMS_SOCKET", "/var/run/kmsplugin/socket.sock"),
        entry("KMS_TIMEOUT", "3s")));
    PodSpec pod = rendered.pod();
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(rendered.deployment().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("example.com/team", "payments");
    assertThat(rendered.deployment().getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("example.com/tier", "security");
    // kms-v2: the plugin's socket directory from the node, and nothing else of it.
    Volume kms = volume(pod, "kms-socket");
    assertThat(kms.getHostPath().getPath()).isEqualTo("/var/run/kmsplugin");
    assertThat(kms.getHostPath().getType()).isEqualTo("Directory");
    assertThat(mount(rendered.operator(), "kms-socket").getMountPath())
        .isEqualTo("/var/run/kmsplugin");
  }

  @Test
  void probesAskTheMetricsPortAndTheStartupProbeWaitsForASlowJvm() {
    Container operator = chart.template(DEFAULTS).operator();
    assertThat(operator.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http-metrics");
      assertThat(port.getContainerPort()).isEqualTo(8080);
    });
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    for (var probe : List.of(operator.getLivenessProbe(), operator.getReadinessProbe(),
        operator.getStartupProbe())) {
      assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("http-metrics"));
    }
    assertThat(operator.getStartupProbe().getPeriodSeconds()
        * operator.getStartupProbe().getFailureThreshold()).as("seconds to start")
        .isGreaterThanOrEqualTo(60);
  }

  @Test
  void theTestOnlySimulatorSidecarIsOffByDefaultAndOnLoopbackWhenOn() {
    assertThat(chart.template(DEFAULTS).pod().getContainers()).hasSize(1);
    Rendered rendered = chart.template(DEFAULTS + """
        testing:
          reloadlySimulator:
            enabled: true
            accept: ["e2e-id=one", "e2e-id=two"]
        """);
    PodSpec pod = rendered.pod();
    assertRestricted(pod);
    Container simulator = pod.getContainers().stream()
        .filter(c -> c.getName().equals("reloadly-simulator")).findFirst().orElseThrow();
    assertThat(simulator.getImage()).isEqualTo(rendered.operator().getImage());
    assertThat(simulator.getArgs()).containsExactly("simulate", "--port=8089",
        "--accept=e2e-id=one", "--accept=e2e-id=two");
    assertThat(rendered.env()).containsEntry("RELOADLY_AUTH_URL",
        "http://127.0.0.1:8089/oauth/token");
    assertThat(chart.templateFailure(DEFAULTS + """
        testing: {reloadlySimulator: {enabled: true, accept: [nonsense]}}
        """)).as("an entry without '='").contains("/testing/reloadlySimulator/accept");
    assertThat(chart.templateFailure(DEFAULTS + """
        testing: {reloadlySimulator: {enabled: true}}
        """)).contains("testing.reloadlySimulator.accept needs at least one");
  }

  @Test
  void theOperatorPodMeetsThePodSecurityStandardRestricted() {
    PodSpec pod = chart.template(DEFAULTS).pod();
    assertRestricted(pod);
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(65532L);
    Container operator = pod.getContainers().get(0);
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    // The only writable path, and the JVM's tmpdir.
    assertThat(mount(operator, "tmp").getMountPath()).isEqualTo("/tmp");
    assertThat(volume(pod, "tmp").getEmptyDir()).isNotNull();
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
  }

  @Test
  void theOnlyServiceAccountTokenIsAProjectedOneThatExpiresWithinTheHour() {
    Rendered rendered = chart.template(DEFAULTS);
    ServiceAccount account = rendered.one(ServiceAccount.class);
    assertThat(account.getAutomountServiceAccountToken()).isFalse();
    PodSpec pod = rendered.pod();
    assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();

    VolumeMount mount = mount(rendered.operator(), "kube-api-access");
    assertThat(mount.getMountPath()).isEqualTo(TOKEN_PATH);
    assertThat(mount.getReadOnly()).isTrue();
    List<VolumeProjection> sources = volume(pod, "kube-api-access").getProjected().getSources();
    assertThat(sources).hasSize(3);
    assertThat(sources.get(0).getServiceAccountToken()).satisfies(token -> {
      assertThat(token.getPath()).isEqualTo("token");
      assertThat(token.getExpirationSeconds()).isEqualTo(3600L);
      assertThat(token.getAudience()).as("the API server's own audience").isNull();
    });
    assertThat(sources.get(1).getConfigMap()).satisfies(ca -> {
      assertThat(ca.getName()).isEqualTo("kube-root-ca.crt");
      assertThat(ca.getItems()).singleElement().satisfies(item -> {
        assertThat(item.getKey()).isEqualTo("ca.crt");
        assertThat(item.getPath()).isEqualTo("ca.crt");
      });
    });
    assertThat(sources.get(2).getDownwardAPI().getItems()).singleElement().satisfies(item -> {
      assertThat(item.getPath()).isEqualTo("namespace");
      assertThat(item.getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    });
    // No other Secret reaches the pod.
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getSecret()).isNull());
    assertThat(rendered.operator().getEnvFrom()).isEmpty();
  }

  @Test
  void replicasSpreadOverNodesWhenTheSchedulerCan() {
    Rendered rendered = chart.template(DEFAULTS);
    Map<String, String> selector = rendered.deployment().getSpec().getSelector()
        .getMatchLabels();
    assertThat(rendered.pod().getTopologySpreadConstraints()).singleElement()
        .satisfies(spread -> {
          assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
          assertThat(spread.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
          assertThat(spread.getLabelSelector().getMatchLabels()).isEqualTo(selector);
        });
    assertThat(rendered.pod().getAffinity().getPodAntiAffinity()
        .getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
        .satisfies(term -> {
          assertThat(term.getPodAffinityTerm().getTopologyKey())
              .isEqualTo("kubernetes.io/hostname");
          assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
              .isEqualTo(selector);
        });
    assertThat(rendered.pod().getAffinity().getPodAntiAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()).isEmpty();
  }

  @Test
  void theBudgetKeepsOneReplicaAndExistsOnlyWithMoreThanOne() {
    Rendered two = chart.template(DEFAULTS);
    PodDisruptionBudget budget = two.one(PodDisruptionBudget.class);
    assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
    assertThat(budget.getSpec().getMaxUnavailable()).isNull();
    assertThat(budget.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(two.deployment().getSpec().getSelector().getMatchLabels());

    assertThat(chart.template(DEFAULTS + "replicaCount: 1\n").all(PodDisruptionBudget.class))
        .isEmpty();
  }

  @Test
  void theServiceExposesOnlyTheMetricsPortOfTheOperatorPods() {
    Rendered rendered = chart.template(DEFAULTS);
    Service service = rendered.one(Service.class);
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(rendered.deployment().getSpec().getSelector().getMatchLabels());
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http-metrics");
      assertThat(port.getPort()).isEqualTo(8080);
      assertThat(port.getTargetPort()).isEqualTo(new IntOrString("http-metrics"));
    });
  }

  @Test
  void byDefaultTheNetworkPolicyAdmitsOnlyTheMetricsPortAndAllowsDnsApiServerAndReloadly() {
    Rendered rendered = chart.template(DEFAULTS);
    NetworkPolicy policy = rendered.one(NetworkPolicy.class);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(rendered.deployment().getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(ports(rule.getPorts())).containsExactly("TCP/8080");
      assertThat(rule.getFrom()).as("any source").isEmpty();
    });
    List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
    assertThat(egress).hasSize(3);
    assertThat(ports(egress.get(0).getPorts())).containsExactly("UDP/53", "TCP/53");
    assertThat(egress.get(0).getTo()).singleElement().satisfies(dns -> {
      assertThat(dns.getNamespaceSelector().getMatchLabels())
          .containsExactly(entry("kubernetes.io/metadata.name", "kube-system"));
      assertThat(dns.getPodSelector().getMatchLabels())
          .containsExactly(entry("k8s-app", "kube-dns"));
    });
    // No CIDRs given: the API server's and Reloadly's ports to any address.
    assertThat(ports(egress.get(1).getPorts())).containsExactly("TCP/443", "TCP/6443");
    assertThat(egress.get(1).getTo()).isEmpty();
    assertThat(ports(egress.get(2).getPorts())).containsExactly("TCP/443");
    assertThat(egress.get(2).getTo()).isEmpty();

    assertThat(chart.template(DEFAULTS + "networkPolicy: {enabled: false}\n")
        .all(NetworkPolicy.class)).isEmpty();
  }

  @Test
  void withAProxyTheOperatorReachesTheProxyInsteadOfReloadlyAndOnlyNamedPeersTheMetrics() {
    NetworkPolicy policy = chart.template(EVERYTHING_ON).one(NetworkPolicy.class);
    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(ports(rule.getPorts())).containsExactly("TCP/8080");
      assertThat(rule.getFrom()).hasSize(2);
      assertThat(rule.getFrom().get(0).getNamespaceSelector().getMatchLabels())
          .containsExactly(entry("kubernetes.io/metadata.name", "monitoring"));
      // The helm test pod, by its own component.
      assertThat(rule.getFrom().get(1).getPodSelector().getMatchLabels())
          .containsEntry(SELECTOR_COMPONENT, "helm-test");
    });
    List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
    assertThat(egress).hasSize(3);
    assertThat(ports(egress.get(1).getPorts())).containsExactly("TCP/6443");
    assertThat(cidrs(egress.get(1).getTo())).containsExactly("172.18.0.2/32");
    assertThat(ports(egress.get(2).getPorts())).containsExactly("TCP/3128");
    assertThat(cidrs(egress.get(2).getTo())).containsExactly("10.20.0.0/24");
  }

  @Test
  void monitoringObjectsAreRenderedOnlyWhenSwitchedOn() {
    Rendered rendered = chart.template(DEFAULTS);
    assertThat(rendered.all(ServiceMonitor.class)).isEmpty();
    assertThat(rendered.all(PrometheusRule.class)).isEmpty();
    assertThat(rendered.all(ConfigMap.class)).isEmpty();
  }

  @Test
  void theServiceMonitorScrapesTheOperatorService() {
    Rendered rendered = chart.template(EVERYTHING_ON);
    ServiceMonitor monitor = rendered.one(ServiceMonitor.class);
    Service service = rendered.one(Service.class);
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(service.getMetadata().getLabels())
        .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
    assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames())
        .containsExactly(HelmChart.NAMESPACE);
    assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.getPort()).isEqualTo(service.getSpec().getPorts().get(0).getName());
      assertThat(endpoint.getPath()).isEqualTo("/metrics");
      assertThat(endpoint.getHonorLabels()).as("keeps the credential's namespace label").isTrue();
    });
  }

  @Test
  void thePrometheusRuleIsTheAlertRuleFileAndTheDashboardTheJsonFile() throws Exception {
    Rendered rendered = chart.template(EVERYTHING_ON);
    PrometheusRule rule = rendered.one(PrometheusRule.class);
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
    JsonNode ruleFile = new YAMLMapper().readTree(
        HelmChart.DIR.resolve("files/reloadly-alerts.rules.yaml").toFile());
    assertThat(new ObjectMapper().valueToTree(rule.getSpec()).equals(ruleFile))
        .as("PrometheusRule spec equals files/reloadly-alerts.rules.yaml").isTrue();
    assertThat(rule.getSpec().getGroups()).allSatisfy(group -> {
      assertThat(group.getName()).isNotBlank();
      assertThat(group.getRules()).allSatisfy(r -> assertThat(r.getExpr()).isNotNull());
    });

    ConfigMap dashboard = rendered.one(ConfigMap.class);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getMetadata().getAnnotations())
        .containsEntry("grafana_folder", "Security");
    String json = Files.readString(HelmChart.DIR.resolve("files/reloadly-dashboard.json"));
    assertThat(dashboard.getData()).containsOnlyKeys("reloadly-dashboard.json");
    assertThat(dashboard.getData().get("reloadly-dashboard.json")).isEqualTo(json.strip());
    new ObjectMapper().readTree(json);
  }

  @Test
  void theHelmTestPodGetsReadyzThroughTheServiceWithoutAnyPrivilegeOrToken() {
    Rendered rendered = chart.templateWithTestHooks(DEFAULTS);
    Pod test = rendered.one(Pod.class);
    assertThat(test.getMetadata().getAnnotations()).containsEntry("test.reloadly.dev/hook",
        "test");
    assertRestricted(test.getSpec());
    assertThat(test.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(test.getSpec().getVolumes()).isEmpty();
    assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
    Container curl = test.getSpec().getContainers().get(0);
    assertThat(curl.getImage()).isEqualTo("docker.io/curlimages/curl:8.11.1");
    Service service = rendered.one(Service.class);
    assertThat(curl.getEnv()).singleElement().satisfies(url -> assertThat(url.getValue())
        .isEqualTo("http://" + service.getMetadata().getName() + ":8080/readyz"));
    assertThat(String.join(" ", curl.getCommand())).contains("[ \"$code\" = 200 ]");
    // Neither the Service nor the operator's PDB may pick the test pod.
    assertThat(test.getMetadata().getLabels().entrySet()
        .containsAll(service.getSpec().getSelector().entrySet())).isFalse();
  }

  @Test
  void theNotesSayHowToCheckTheInstallAndToBackUpTheKeys() {
    String notes = chart.notes(NAMESPACED);
    assertThat(notes).contains("watching payments, billing", "helm test",
        "reloadly-operator-keys", "reloadly-compromised-versions");
  }

  /** The Pod Security Standard "restricted", field by field. */
  static void assertRestricted(PodSpec pod) {
    assertThat(pod.getHostNetwork()).as("hostNetwork").isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).as("hostPID").isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).as("hostIPC").isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    assertThat(pod.getInitContainers()).isEmpty();
    for (Container container : pod.getContainers()) {
      var context = container.getSecurityContext();
      assertThat(context.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
      assertThat(context.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(context.getCapabilities().getAdd()).isEmpty();
      assertThat(context.getReadOnlyRootFilesystem()).isTrue();
      assertThat(context.getRunAsUser()).as("no root override").isNull();
      assertThat(container.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
    }
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name + " in " + pod.getVolumes()));
  }

  private static VolumeMount mount(Container container, String name) {
    return container.getVolumeMounts().stream().filter(m -> m.getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no mount " + name));
  }

  private static List<String> kinds(Rendered rendered) {
    return rendered.objects().stream().map(HasMetadata::getKind).toList();
  }

  private static List<String> ports(List<NetworkPolicyPort> ports) {
    return ports.stream().map(p -> p.getProtocol() + "/" + p.getPort().getValue()).toList();
  }

  private static Set<String> cidrs(List<NetworkPolicyPeer> peers) {
    return peers.stream().map(p -> p.getIpBlock().getCidr()).collect(Collectors.toSet());
  }
}
