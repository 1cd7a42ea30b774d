package dev.reloadly.operator.crypto.kms;

import dev.reloadly.operator.crypto.KekUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last known health of the KMS v2 plugin, from its Status answer. New data is wrapped only
 * while the plugin is healthy: an answer is trusted for {@code recheck}, then asked again, so a
 * plugin that went down stops new versions within that time and one that came back lets them
 * through within it. Unwrapping never asks: what is already decrypted keeps serving.
 */
final class KmsHealth {
  private static final Logger LOG = LoggerFactory.getLogger(KmsHealth.class);

  private final KmsV2Plugin plugin;
  private final Clock clock;
  private final Duration recheck;
  private Instant checkedAt;
  private KmsV2Plugin.Status last;
  private String problem;

  KmsHealth(KmsV2Plugin plugin, Clock clock, Duration recheck) {
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (recheck.isNegative() || recheck.isZero()) {
      throw new IllegalArgumentException("the KMS recheck interval must be positive");
    }
    this.recheck = recheck;
  }

  /**
   * Asks the plugin now.
   *
   * @return its answer when healthy
   * @throws KekUnavailableException when it did not answer or answered unhealthy
   */
  synchronized KmsV2Plugin.Status check() {
    // At start the caller reports a failure itself, and nothing is waiting yet.
    boolean running = checkedAt != null;
    checkedAt = clock.instant();
    String before = problem;
    try {
      KmsV2Plugin.Status status = plugin.status();
      if (!status.healthy()) {
        problem = "KMS v2 plugin at " + plugin.address() + " is not healthy (healthz "
            + quoted(status.healthz()) + ", version " + quoted(status.version())
            + (status.keyId().isEmpty() ? ", no key id" : "") + ")";
      } else {
        problem = null;
        last = status;
      }
    } catch (KekUnavailableException e) {
      problem = e.getMessage();
    }
    if (running && problem != null && !problem.equals(before)) {
      LOG.warn("{}; new credential versions wait until it is back", problem);
    } else if (problem == null && before != null) {
      LOG.info("KMS v2 plugin at {} is healthy again (key id {})", plugin.address(), last.keyId());
    }
    if (problem != null) {
      throw new KekUnavailableException(problem, recheck);
    }
    return last;
  }

  /** Passes when the plugin was healthy at the last answer, asking again once that is stale. */
  synchronized void requireHealthy() {
    if (checkedAt != null && clock.instant().isBefore(checkedAt.plus(recheck))) {
      if (problem != null) {
        throw new KekUnavailableException(problem, recheck);
      }
      return;
    }
    check();
  }

  Duration recheck() {
    return recheck;
  }

  private static String quoted(String value) {
    String shown = value.length() > 100 ? value.substring(0, 100) + "..." : value;
    return "\"" + shown.replaceAll("\\p{Cntrl}", " ") + "\"";
  }
}
