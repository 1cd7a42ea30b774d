package dev.reloadly.operator.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Mints JWT-shaped access tokens: a real header and payload, with random bytes for a signature. */
final class SimulatedJwt {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();

  String mint(String clientId, String audience, boolean sandbox, Instant issuedAt, Instant expiresAt) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("kid", "reloadly-simulator");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("iss", "https://auth.reloadly.com/");
    payload.put("sub", clientId + "@clients");
    payload.put("aud", audience);
    payload.put("iat", issuedAt.getEpochSecond());
    payload.put("exp", expiresAt.getEpochSecond());
    payload.put("scope", "developer");
    payload.put("gty", "client-credentials");
    payload.put("https://reloadly.com/sandbox", sandbox);
    payload.put("jti", UUID.randomUUID().toString());
    byte[] signature = new byte[256];
    random.nextBytes(signature);
    return segment(header) + "." + segment(payload) + "." + BASE64URL.encodeToString(signature);
  }

  private static String segment(Map<String, Object> claims) {
    try {
      return BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JWT claims", e);
    }
  }
}
