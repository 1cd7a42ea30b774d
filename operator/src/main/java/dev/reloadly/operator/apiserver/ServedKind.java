package dev.reloadly.operator.apiserver;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the API server serves an optional kind (a CRD that may be installed after the operator
 * started: Cilium's, the PolicyReport one). Asked through discovery at most once a minute while
 * it is absent; once served, never asked again.
 */
public final class ServedKind {
  static final Duration RECHECK = Duration.ofMinutes(1);
  private final KubernetesClient client;
  private final Clock clock;
  private final String apiVersion;
  private final String kind;
  private volatile Instant checkedAt = Instant.MIN;
  private volatile boolean served;

  public ServedKind(KubernetesClient client, Clock clock, String apiVersion, String kind) {
    this.client = client;
    this.clock = clock;
    this.apiVersion = apiVersion;
    this.kind = kind;
  }

  public boolean served() {
    Instant now = clock.instant();
    if (!served && !now.isBefore(checkedAt.plus(RECHECK))) {
      checkedAt = now;
      served = client.supports(apiVersion, kind);
    }
    return served;
  }
}
