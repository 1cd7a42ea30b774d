package dev.reloadly.operator.cli;

import dev.reloadly.operator.OperatorRuntime;
import dev.reloadly.operator.config.LeaderElection;
import dev.reloadly.operator.config.KekSettings;
import dev.reloadly.operator.compliance.FreeMail;
import dev.reloadly.operator.config.ComplianceDefaults;
import dev.reloadly.operator.config.EgressDefaults;
import dev.reloadly.operator.config.OperatorConfig;
import dev.reloadly.operator.config.RolloutSettings;
import dev.reloadly.operator.crypto.KekUnavailableException;
import dev.reloadly.operator.crypto.KeyRingFormatException;
import dev.reloadly.operator.logging.LogFormat;
import dev.reloadly.operator.logging.LogSetup;
import dev.reloadly.operator.time.DurationParser;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `run`: operates the cluster of the usual kubeconfig or the in-cluster service account. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the operator against the cluster of the current kubeconfig or in-cluster config.")
public final class RunCommand implements Callable<Integer> {
  static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--namespace", defaultValue = "${env:OPERATOR_NAMESPACE}",
      description = "Namespace where the operator keeps its own keys (env OPERATOR_NAMESPACE)."
          + " Default: the namespace it runs in, else " + OperatorConfig.DEFAULT_NAMESPACE + ".")
  String namespace;

  @Option(names = "--watch-namespaces", defaultValue = "${env:WATCH_NAMESPACES}",
      description = "Comma-separated namespaces to watch; empty means all (env WATCH_NAMESPACES).")
  String watchNamespaces;

  @Option(names = "--reloadly-auth-url", defaultValue = "${env:RELOADLY_AUTH_URL}",
      description = "Reloadly token endpoint (env RELOADLY_AUTH_URL). Default: "
          + "https://auth.reloadly.com/oauth/token. https is required except on loopback.")
  String authUrl;

  @Option(names = "--reloadly-proxy", defaultValue = "${env:RELOADLY_PROXY}",
      description = "host:port of an HTTPS proxy the operator's token requests go through, e.g."
          + " the egress proxy on the NAT nodes (env RELOADLY_PROXY). Default: none (direct).")
  String reloadlyProxy;

  @Option(names = "--metrics-port", defaultValue = "${env:METRICS_PORT}",
      description = "Port of the Prometheus /metrics endpoint; 0 disables it (env METRICS_PORT)."
          + " Default: 8080.")
  String metricsPort;

  @Option(names = "--max-concurrent-token-requests",
      defaultValue = "${env:MAX_CONCURRENT_TOKEN_REQUESTS}",
      description = "Operator-wide cap on in-flight token requests (env"
          + " MAX_CONCURRENT_TOKEN_REQUESTS). Default: 4.")
  String maxConcurrentTokenRequests;

  @Option(names = "--sealing-key-renewal", defaultValue = "${env:SEALING_KEY_RENEWAL}",
      description = "How often the sealing key pair is renewed (env SEALING_KEY_RENEWAL)."
          + " Default: 30d. Old private keys are kept, so values sealed before keep opening.")
  String sealingKeyRenewal;

  @Option(names = "--kek-rotation", defaultValue = "${env:KEK_ROTATION}",
      description = "How often the key-encryption key is rotated (env KEK_ROTATION). Default: 30d.")
  String kekRotation;

  @Option(names = "--leader-election", defaultValue = "${env:LEADER_ELECTION}",
      description = "true or false: elect one working replica through a Lease in the operator"
          + " namespace (env LEADER_ELECTION). Default: true.")
  String leaderElection;

  @Option(names = "--lease-name", defaultValue = "${env:LEASE_NAME}",
      description = "Name of the leader election Lease in the operator namespace (env LEASE_NAME)."
          + " Default: " + LeaderElection.DEFAULT_LEASE_NAME + ". The shipped RBAC names it.")
  String leaseName;

  @Option(names = "--kek-provider", defaultValue = "${env:KEK_PROVIDER}",
      description = "Where the key-encryption keys are protected: local (key bytes in the"
          + " operator's key Secret) or kms-v2 (a Kubernetes KMS v2 plugin; needs --kms-socket)"
          + " (env KEK_PROVIDER). Default: local.")
  String kekProvider;

  @Option(names = "--kms-socket", defaultValue = "${env:KMS_SOCKET}",
      description = "Unix socket of the KMS v2 plugin, e.g. /var/run/kmsplugin/socket.sock"
          + " (env KMS_SOCKET). With --kek-provider local it only reads back a ring the plugin"
          + " wrapped, to move back to local keys.")
  String kmsSocket;

  @Option(names = "--kms-timeout", defaultValue = "${env:KMS_TIMEOUT}",
      description = "Bound of each call to the KMS v2 plugin (env KMS_TIMEOUT). Default: 5s.")
  String kmsTimeout;

  @Option(names = "--incident-history", defaultValue = "${env:INCIDENT_HISTORY}",
      description = "How many compromise incidents each credential keeps in status and its store"
          + " (env INCIDENT_HISTORY), 1 to " + OperatorConfig.MAX_INCIDENT_HISTORY + ". Default: "
          + OperatorConfig.DEFAULT_INCIDENT_HISTORY + ".")
  String incidentHistory;

  @Option(names = "--max-concurrent-rollouts", defaultValue = "${env:MAX_CONCURRENT_ROLLOUTS}",
      description = "How many workloads may be rolling at the same time over all credentials"
          + " (env MAX_CONCURRENT_ROLLOUTS), 1 to 1000. Default: "
          + RolloutSettings.DEFAULT_MAX_CONCURRENT + ". A compromise ignores it.")
  String maxConcurrentRollouts;

  @Option(names = "--argo-rollouts", defaultValue = "${env:ARGO_ROLLOUTS}",
      description = "true or false: watch argoproj.io/v1alpha1 Rollouts as consumers; their CRD"
          + " must be installed (env ARGO_ROLLOUTS). Default: false.")
  String argoRollouts;

  @Option(names = "--nat-node-selector", defaultValue = "${env:NAT_NODE_SELECTOR}",
      description = "Label selector of the NAT nodes: the only Nodes the operator watches;"
          + " spec.egress.natNodeSelector chooses among them (env NAT_NODE_SELECTOR). Default: "
          + EgressDefaults.DEFAULT_NAT_NODE_SELECTOR + ".")
  String natNodeSelector;

  @Option(names = "--probe-image", defaultValue = "${env:PROBE_IMAGE}",
      description = "Image of the egress probe Job when spec.egress.probe.image is not set; it"
          + " needs sh and curl (env PROBE_IMAGE). Default: "
          + EgressDefaults.DEFAULT_PROBE_IMAGE + ".")
  String probeImage;

  @Option(names = "--free-mail-domains", defaultValue = "${env:FREE_MAIL_DOMAINS}",
      description = "Comma-separated mail domains to count as free mail (guideline C1), besides"
          + " the built-in list of " + FreeMail.SIZE + " (env FREE_MAIL_DOMAINS).")
  String freeMailDomains;

  @Option(names = "--log-format", defaultValue = "${env:LOG_FORMAT}",
      description = "plain or json: a line of text, or one JSON object per line with namespace,"
          + " name and reconcileId during reconciles (env LOG_FORMAT). Default: plain. Either way"
          + " credentials, tokens and keys are redacted. The level comes from env LOG_LEVEL.")
  String logFormat;

  private final Supplier<KubernetesClient> clients;

  public RunCommand() {
    this(ClusterConnection::open);
  }

  /** For tests: the client to operate through. */
  RunCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() throws Exception {
    LogFormat format = logFormat();
    OperatorConfig config = config();
    java.net.InetSocketAddress proxy = proxy();
    // After every flag is checked (a bad one is a line on stderr, not a log event), before the
    // first log line.
    LogSetup.apply(format);
    LOG.info("starting; log format {}", format.name().toLowerCase(java.util.Locale.ROOT));
    try (KubernetesClient client = clients.get()) {
      ClusterConnection.requireNamespace(client, config.namespace(), "--namespace");
      OperatorRuntime runtime;
      try {
        runtime = OperatorRuntime.start(client, config, Clock.systemUTC(),
            HttpReloadlyTokenClient.viaProxy(config.reloadlyAuthUrl(), Clock.systemUTC(), proxy));
      } catch (KekUnavailableException | KeyRingFormatException e) {
        // Nothing is served without the keys: say which plugin failed and how, in one line.
        spec.commandLine().getErr().println("error: cannot start: " + e.getMessage());
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        runtime.close();
        stopped.countDown();
      }, "shutdown"));
      stopped.await();
    }
    return 0;
  }

  /** Validates flags and environment into a config; bad values stop start-up with one line. */
  OperatorConfig config() {
    try {
      OperatorConfig defaults = OperatorConfig.defaults(resolveNamespace());
      CredentialOptions.requireLabel(spec.commandLine(), "--namespace",
          defaults.namespace());
      Set<String> namespaces = blank(watchNamespaces) ? Set.of()
          : Arrays.stream(watchNamespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
              .collect(Collectors.toSet());
      for (String ns : namespaces) {
        CredentialOptions.requireLabel(spec.commandLine(), "--watch-namespaces", ns);
      }
      URI url = blank(authUrl) ? defaults.reloadlyAuthUrl() : URI.create(authUrl.trim());
      int port = blank(metricsPort) ? defaults.metricsPort() : parseInt("--metrics-port", metricsPort);
      int cap = blank(maxConcurrentTokenRequests) ? defaults.maxConcurrentTokenRequests()
          : parseInt("--max-concurrent-token-requests", maxConcurrentTokenRequests);
      int incidents = blank(incidentHistory) ? defaults.incidentHistory()
          : parseInt("--incident-history", incidentHistory);
      if (incidents < 1 || incidents > OperatorConfig.MAX_INCIDENT_HISTORY) {
        throw new IllegalArgumentException("--incident-history: must be between 1 and "
            + OperatorConfig.MAX_INCIDENT_HISTORY + ", got " + incidents);
      }
      return new OperatorConfig(defaults.namespace(), namespaces, url, port, cap,
          period("--sealing-key-renewal", sealingKeyRenewal, defaults.sealingKeyRenewal()),
          period("--kek-rotation", kekRotation, defaults.kekRotation()), leaderElection(),
          kekSettings(), incidents, rolloutSettings(), new EgressDefaults(
              blank(natNodeSelector) ? EgressDefaults.DEFAULT_NAT_NODE_SELECTOR
                  : natNodeSelector.trim(),
              blank(probeImage) ? EgressDefaults.DEFAULT_PROBE_IMAGE : probeImage.trim()),
          new ComplianceDefaults(FreeMail.with(freeMailDomains)));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The --reloadly-proxy address, unresolved (the proxy resolves at connect), or null. */
  java.net.InetSocketAddress proxy() {
    if (blank(reloadlyProxy)) {
      return null;
    }
    String text = reloadlyProxy.trim();
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || text.contains("/")) {
      throw new ParameterException(spec.commandLine(), "--reloadly-proxy: '" + text
          + "' is not host:port (no scheme, no path)");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--reloadly-proxy: port of '" + text
          + "' must be between 1 and 65535");
    }
    return java.net.InetSocketAddress.createUnresolved(text.substring(0, colon), port);
  }

  LogFormat logFormat() {
    try {
      return LogFormat.parse(logFormat);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--log-format: " + e.getMessage()
          + " (flag or env LOG_FORMAT)");
    }
  }

  private RolloutSettings rolloutSettings() {
    int cap = blank(maxConcurrentRollouts) ? RolloutSettings.DEFAULT_MAX_CONCURRENT
        : parseInt("--max-concurrent-rollouts", maxConcurrentRollouts);
    return new RolloutSettings(cap, bool("--argo-rollouts", argoRollouts, false));
  }

  private static boolean bool(String flag, String text, boolean fallback) {
    if (blank(text)) {
      return fallback;
    }
    String value = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(flag + ": '" + text.trim() + "' is neither true nor false");
    }
    return value.equals("true");
  }

  /** On unless turned off: two replicas of a rollout must never both work. */
  private LeaderElection leaderElection() {
    boolean enabled = bool("--leader-election", leaderElection, true);
    String name = blank(leaseName) ? LeaderElection.DEFAULT_LEASE_NAME : leaseName.trim();
    LeaderElection on = LeaderElection.on(name, LeaderElection.defaultIdentity());
    return enabled ? on : LeaderElection.off();
  }

  private KekSettings kekSettings() {
    KekSettings.Provider provider = blank(kekProvider) ? KekSettings.Provider.LOCAL
        : KekSettings.Provider.parse(kekProvider);
    Path socket = null;
    if (!blank(kmsSocket)) {
      socket = Path.of(kmsSocket.trim());
      if (!socket.isAbsolute()) {
        throw new IllegalArgumentException("--kms-socket: '" + kmsSocket.trim()
            + "' is not an absolute path");
      }
    }
    Duration timeout = KekSettings.DEFAULT_KMS_TIMEOUT;
    if (!blank(kmsTimeout)) {
      try {
        timeout = DurationParser.parse(kmsTimeout.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--kms-timeout: " + e.getMessage());
      }
    }
    return new KekSettings(provider, socket, timeout, KekSettings.DEFAULT_KMS_RECHECK);
  }

  private String resolveNamespace() {
    if (!blank(namespace)) {
      return namespace.trim();
    }
    try {
      if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
        return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
      }
    } catch (java.io.IOException e) {
      // fall through to the default
    }
    return OperatorConfig.DEFAULT_NAMESPACE;
  }

  /** A key period: at least a day, so a typo cannot make the operator churn keys. */
  private static Duration period(String flag, String value, Duration fallback) {
    if (blank(value)) {
      return fallback;
    }
    Duration parsed;
    try {
      parsed = DurationParser.parse(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage());
    }
    if (parsed.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(flag + ": must be at least 1d, got " + value.trim());
    }
    return parsed;
  }

  private static int parseInt(String flag, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + value + "' is not a whole number");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
