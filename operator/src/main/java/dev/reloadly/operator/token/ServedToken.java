package dev.reloadly.operator.token;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * What the target Secret's annotations say about the token it serves: which version it was minted
 * for, when, and until when. Read back after a restart so the operator does not mint again.
 */
public record ServedToken(String fingerprint, Instant issuedAt, Instant expiresAt) {

  public static Optional<ServedToken> from(Map<String, String> annotations) {
    if (annotations == null) {
      return Optional.empty();
    }
    String fingerprint = annotations.get(ApiLabels.VERSION);
    String issued = annotations.get(ApiLabels.TOKEN_ISSUED_AT);
    String expires = annotations.get(ApiLabels.TOKEN_EXPIRES_AT);
    if (fingerprint == null || issued == null || expires == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ServedToken(fingerprint, Instant.parse(issued), Instant.parse(expires)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** When this token must be replaced under {@code schedule}, spread per credential by the key. */
  public Instant refreshAt(RefreshSchedule schedule, String jitterKey) {
    return schedule.refreshAt(issuedAt, expiresAt, jitterKey);
  }

  /** True when the token must be minted again for {@code currentFingerprint} at {@code now}. */
  public boolean needsRefresh(String currentFingerprint, RefreshSchedule schedule,
      String jitterKey, Instant now) {
    return !fingerprint.equals(currentFingerprint) || !now.isBefore(refreshAt(schedule, jitterKey));
  }
}
