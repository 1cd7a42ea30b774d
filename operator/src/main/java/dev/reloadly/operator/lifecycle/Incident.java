package dev.reloadly.operator.lifecycle;

import java.time.Instant;

/**
 * A reported compromise. Each distinct value of the compromised annotation is one report.
 *
 * @param removed what was withdrawn from the target Secret
 * @param resolvedAt when a new version replaced the compromised one, or null
 */
public record Incident(Instant reportedAt, String reason, String fingerprint, String removed,
    Instant resolvedAt) {

  public Incident resolved(Instant at) {
    return new Incident(reportedAt, reason, fingerprint, removed, at);
  }
}
