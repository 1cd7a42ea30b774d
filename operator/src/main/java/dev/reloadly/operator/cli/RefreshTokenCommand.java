package dev.reloadly.operator.cli;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.cli.SealCommand.Failure;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.time.DurationParser;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * `refresh-token`: asks the operator for a new bearer token now, through annotation
 * {@value ApiLabels#REFRESH_TOKEN}, which the operator removes once it has answered. With
 * {@code --wait} it follows the credential until then and reports the new expiry.
 */
@Command(name = "refresh-token", mixinStandardHelpOptions = true,
    description = {"Ask the operator to mint a new bearer token for a ReloadlyCredential now"
        + " (annotation " + ApiLabels.REFRESH_TOKEN + "). The old token stays in the target"
        + " Secret until the new one replaces it."},
    footer = {"", "Examples:",
        "  kubectl reloadly refresh-token shop -n payments",
        "  kubectl reloadly refresh-token shop -n payments --wait --timeout 2m"})
public final class RefreshTokenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CredentialOptions credential;

  @Option(names = "--wait", description = "Wait until the operator has answered, then print the"
      + " new token's expiry; exit 1 if it could not mint one.")
  boolean wait;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
      description = "How long --wait waits, e.g. 90s or 2m (default: ${DEFAULT-VALUE}).")
  String timeout;

  private final Supplier<KubernetesClient> clients;
  private final Clock clock;

  public RefreshTokenCommand() {
    this(null, Clock.systemUTC());
  }

  /** For tests: the client to patch through and the clock that stamps the request. */
  RefreshTokenCommand(Supplier<KubernetesClient> clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    credential.validate(cmd);
    Duration limit = parseTimeout(cmd);
    String where = credential.describe();
    PrintWriter out = cmd.getOut();
    try (KubernetesClient client = credential.cluster.or(clients).get()) {
      ReloadlyCredential current = credential.get(client);
      if (!mintsTokens(current)) {
        throw new Failure(where + " does not mint tokens (spec.token.enabled is false), so"
            + " there is no token to refresh");
      }
      String pending = annotations(current).get(ApiLabels.REFRESH_TOKEN);
      if (pending != null) {
        out.println(where + ": a refresh is already requested (" + pending + "); waiting for"
            + " the operator rather than asking twice.");
      } else {
        credential.annotate(client, ApiLabels.REFRESH_TOKEN, clock.instant().toString());
        out.println(where + ": token refresh requested (annotation " + ApiLabels.REFRESH_TOKEN
            + ").");
      }
      String before = current.getStatus() == null ? null : current.getStatus().getTokenExpiresAt();
      out.flush();
      return wait ? await(client, cmd, before, limit) : 0;
    } catch (Failure e) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    } catch (KubernetesClientException e) {
      cmd.getErr().println("error: " + (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND
          ? where + " not found" : "cannot annotate " + where + " (HTTP " + e.getCode() + ")"));
      return 1;
    }
  }

  /** Until the operator removed the request and wrote the outcome to the status. */
  private int await(KubernetesClient client, CommandLine cmd, String before, Duration limit) {
    String where = credential.describe();
    ReloadlyCredential answered;
    try {
      answered = client.resources(ReloadlyCredential.class).inNamespace(credential.namespace)
          .withName(credential.name).waitUntilCondition(c -> c == null
              || (!annotations(c).containsKey(ApiLabels.REFRESH_TOKEN) && (tokenFailed(c)
                  || !Objects.equals(before, c.getStatus() == null ? null
                      : c.getStatus().getTokenExpiresAt()))),
              limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new Failure("the operator has not answered within " + timeout + "; is it running?"
          + " See: kubectl reloadly status " + credential.name + " -n " + credential.namespace);
    }
    if (answered == null) {
      throw new Failure(where + " was deleted while waiting");
    }
    Optional<Condition> token = tokenReady(answered);
    if (tokenFailed(answered)) {
      throw new Failure("no new token: TokenReady=False (" + token.map(Condition::getReason)
          .orElse("") + "): " + token.map(Condition::getMessage).orElse(""));
    }
    cmd.getOut().println(where + ": new token valid until "
        + answered.getStatus().getTokenExpiresAt() + ".");
    cmd.getOut().flush();
    return 0;
  }

  private Duration parseTimeout(CommandLine cmd) {
    Duration limit;
    try {
      limit = DurationParser.parse(timeout.strip());
    } catch (IllegalArgumentException e) {
      limit = Duration.ZERO;
    }
    if (limit.isNegative() || limit.isZero()) {
      throw new ParameterException(cmd, "--timeout: '" + timeout + "' is not a duration such as"
          + " 90s or 2m");
    }
    return limit;
  }

  private static boolean mintsTokens(ReloadlyCredential credential) {
    try {
      return CredentialPolicy.of(credential.getSpec()).tokenEnabled();
    } catch (IllegalArgumentException | NullPointerException e) {
      // An invalid spec: the operator says why in the status; asking does no harm.
      return true;
    }
  }

  private static Optional<Condition> tokenReady(ReloadlyCredential credential) {
    return credential.getStatus() == null ? Optional.empty()
        : Conditions.find(credential.getStatus().getConditions(), Conditions.TOKEN_READY);
  }

  private static boolean tokenFailed(ReloadlyCredential credential) {
    return tokenReady(credential).map(c -> Conditions.FALSE.equals(c.getStatus())).orElse(false);
  }

  private static Map<String, String> annotations(ReloadlyCredential credential) {
    Map<String, String> annotations = credential.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
