package dev.reloadly.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canary credentials, and the spellings (clear, base64, URL-encoded) in which none of them may
 * reach a log line. The client ID, secret and opaque token are registered, as the operator does
 * when it reads or uses them; the JWT and the PEM key are not: the patterns must catch those.
 */
final class LogCanaries {
  static final String CLIENT_ID = "CANARY-client-id-Zq81Lw";
  /** '/', '+', '=', '&' and '~' make its base64 and URL-encoded spellings differ from it. */
  static final String CLIENT_SECRET = "CANARY/s3cr3t+Kx9=q&z~Vb";
  static final String OPAQUE_TOKEN = "CANARYopaque.T0ken+Ab/cd_ef-gh";
  static final String JWT = jwt();
  static final String PEM = pem();

  private LogCanaries() {}

  static List<String> all() {
    return List.of(CLIENT_ID, CLIENT_SECRET, OPAQUE_TOKEN, JWT, PEM);
  }

  /** A registry holding what the operator would have registered by the time it logs. */
  static KnownSecrets registered() {
    KnownSecrets secrets = new KnownSecrets(Clock.systemUTC(), new SecureRandom(), 64);
    secrets.register(CLIENT_ID.toCharArray());
    secrets.register(CLIENT_SECRET.toCharArray());
    secrets.register(OPAQUE_TOKEN.toCharArray());
    return secrets;
  }

  /** Every spelling of {@code value} that must not be in a log. */
  static Map<String, String> spellings(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    Map<String, String> spellings = new LinkedHashMap<>();
    spellings.put("clear", value);
    spellings.put("base64", Base64.getEncoder().encodeToString(utf8));
    spellings.put("base64 unpadded", Base64.getEncoder().withoutPadding().encodeToString(utf8));
    spellings.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(utf8));
    spellings.put("URL-encoded", URLEncoder.encode(value, StandardCharsets.UTF_8));
    spellings.put("URL-encoded %20", URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20"));
    return spellings;
  }

  /** Every canary in every spelling, one per line of the text. */
  static String payload() {
    List<String> parts = new ArrayList<>();
    for (String canary : all()) {
      parts.addAll(spellings(canary).values());
    }
    parts.add("Authorization: Bearer " + OPAQUE_TOKEN);
    parts.add("{\"client_secret\":\"" + CLIENT_SECRET + "\",\"access_token\":\"" + JWT + "\"}");
    return String.join("\n | ", parts);
  }

  /** Fails naming the canary and spelling found in {@code output}. */
  static void assertNoCanary(String output) {
    for (String canary : all()) {
      spellings(canary).forEach((how, spelling) -> assertThat(output)
          .as("%s of %s", how, canary.lines().findFirst().orElse(""))
          .doesNotContain(spelling));
    }
    // Not even one line of the key's body.
    PEM.lines().filter(line -> !line.startsWith("-----")).forEach(line ->
        assertThat(output).as("PEM body line").doesNotContain(line));
    // Nor the JWT's signature on its own.
    assertThat(output).as("JWT signature")
        .doesNotContain(JWT.substring(JWT.lastIndexOf('.') + 1));
  }

  private static String jwt() {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(
        StandardCharsets.UTF_8));
    String payload = url.encodeToString(("{\"sub\":\"" + CLIENT_ID + "@clients\",\"aud\":"
        + "\"https://topups-sandbox.reloadly.com\",\"exp\":4102444800}")
        .getBytes(StandardCharsets.UTF_8));
    byte[] signature = new byte[256];
    new SecureRandom().nextBytes(signature);
    return header + "." + payload + "." + url.encodeToString(signature);
  }

  private static String pem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
