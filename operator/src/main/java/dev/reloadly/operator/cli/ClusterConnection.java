package dev.reloadly.operator.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * How every command reaches the cluster: loads the client configuration (kubeconfig or in-cluster
 * service account) and asks the API server for its version once, with short timeouts and no
 * retry, so a cluster that cannot be reached is one line naming the configuration, the server and
 * the cause within seconds, rather than a stack trace after the client's retries.
 */
public final class ClusterConnection {
  /** Long enough for a real API server across a VPN, short enough that a typo fails at once. */
  static final Duration PROBE_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration PROBE_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+)");

  private ClusterConnection() {}

  /**
   * A client for the configured cluster, after the API server answered. The client itself keeps
   * Fabric8's usual timeouts and retries for the work that follows.
   *
   * @throws Failure with the one line to print
   */
  public static KubernetesClient open() {
    return open(null, null);
  }

  /**
   * The same for an explicit kubeconfig file and context (kubectl's {@code --kubeconfig} and
   * {@code --context}); null means the default for each.
   */
  public static KubernetesClient open(Path kubeconfig, String context) {
    Config probeConfig = load(kubeconfig, context);
    String source = source(probeConfig);
    probeConfig.setRequestRetryBackoffLimit(0);
    probeConfig.setConnectionTimeout((int) PROBE_CONNECT_TIMEOUT.toMillis());
    probeConfig.setRequestTimeout((int) PROBE_REQUEST_TIMEOUT.toMillis());
    try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(probeConfig).build()) {
      probe.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED) {
        throw new Failure("the Kubernetes API server " + probeConfig.getMasterUrl()
            + " rejected the credentials of " + source + " (HTTP 401): log in again or fix the"
            + " user of that context");
      }
      // Any other HTTP answer (403, 404 from a minimal server) proves the server is there.
      if (e.getCode() <= 0) {
        throw new Failure("cannot reach the Kubernetes API server " + probeConfig.getMasterUrl()
            + " (" + source + "): " + cause(e));
      }
    }
    return new KubernetesClientBuilder().withConfig(load(kubeconfig, context)).build();
  }

  /** The namespace of the chosen context, else {@code default}; reads no more than the file. */
  static String contextNamespace(Path kubeconfig, String context) {
    String namespace = load(kubeconfig, context).getNamespace();
    return namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  /**
   * Stops start-up when the operator's own namespace is missing: its keys live there, and a
   * real API server would refuse to create them with a less helpful 404. When the operator may
   * not read namespaces (403), creating the keys reports it instead.
   */
  public static void requireNamespace(KubernetesClient client, String namespace, String flag) {
    try {
      if (client.namespaces().withName(namespace).get() == null) {
        throw new Failure("the operator namespace " + namespace + " does not exist: the operator"
            + " keeps its keys there, so create it first (kubectl create namespace " + namespace
            + "; the Helm chart creates it) or choose another with " + flag);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) {
        throw e;
      }
    }
  }

  /** The configuration as the client would load it, or a line naming the file that is broken. */
  private static Config load(Path kubeconfig, String context) {
    String files = kubeconfig != null ? kubeconfig.toString()
        : String.join(", ", Config.getKubeconfigFilenames());
    if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) {
      throw new Failure("--kubeconfig: " + kubeconfig + " is not a file");
    }
    Config config;
    try {
      config = kubeconfig != null ? Config.fromKubeconfig(context, kubeconfig.toFile())
          : Config.autoConfigure(context);
    } catch (RuntimeException e) {
      throw new Failure("cannot read kubeconfig " + files + ": " + yamlProblem(e));
    }
    // The client quietly keeps the current context when the named one is missing; kubectl
    // refuses, and so do we: a typo must not act on another cluster.
    if (context != null && (config.getCurrentContext() == null
        || !context.equals(config.getCurrentContext().getName()))) {
      throw new Failure("--context: no context " + context + " in kubeconfig " + files);
    }
    return config;
  }

  /** Where the configuration came from, in the words a user looks for. */
  static String source(Config config) {
    if (config.getFile() != null) {
      String context = config.getCurrentContext() == null ? ""
          : ", context " + config.getCurrentContext().getName();
      return "kubeconfig " + config.getFile() + context;
    }
    if (System.getenv(Config.KUBERNETES_SERVICE_HOST_PROPERTY) != null
        && Files.exists(Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH))) {
      return "in-cluster service account";
    }
    return "no kubeconfig at " + String.join(", ", Config.getKubeconfigFilenames())
        + " and not running in a cluster";
  }

  /** The first cause a person recognises; the JDK client's exceptions often carry no message. */
  static String cause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer within " + PROBE_REQUEST_TIMEOUT.toSeconds() + "s";
      }
      if (t instanceof SSLException) {
        return "TLS handshake failed (" + t.getMessage() + ")";
      }
      if (t instanceof ConnectException) {
        return t.getMessage() == null ? "connection refused" : oneLine(t.getMessage());
      }
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return oneLine(t.getMessage());
      }
    }
    return e.getClass().getSimpleName();
  }

  private static String yamlProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher mark = t.getMessage() == null ? null : YAML_MARK.matcher(t.getMessage());
      if (mark != null && mark.find()) {
        return "not valid YAML (line " + mark.group(1) + ", column " + mark.group(2) + ")";
      }
    }
    // A parser's own message quotes the offending line, which may hold a token or a key.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException && t.getMessage() != null) {
        return oneLine(t.getMessage());
      }
    }
    return "not a valid kubeconfig (" + e.getClass().getSimpleName() + ")";
  }

  private static String oneLine(String message) {
    String line = message.strip().replaceAll("\\s+", " ");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** The cluster cannot be used as configured; the message is the whole line to print. Exit 1. */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }
}
