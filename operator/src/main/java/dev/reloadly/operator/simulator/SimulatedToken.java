package dev.reloadly.operator.simulator;

import java.time.Instant;

/** A token the simulator issued, so tests can check what the operator stored and when it expires. */
public record SimulatedToken(String clientId, String audience, String accessToken, Instant issuedAt, Instant expiresAt) {

  // Simulated tokens are not secrets, but logs that print them would teach the habit.
  @Override
  public String toString() {
    return "SimulatedToken[clientId=" + clientId + ", audience=" + audience + ", accessToken=<redacted>, issuedAt="
        + issuedAt + ", expiresAt=" + expiresAt + "]";
  }
}
