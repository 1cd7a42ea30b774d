package dev.reloadly.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the patterns take for a credential, and what the operator logs on purpose that they leave alone. */
class SecretPatternsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJl issued | token [REDACTED] issued",
      "unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMifQ. | unsigned [REDACTED]",
      "sent Bearer 0123456789abcdefXYZ_~+/= | sent Bearer [REDACTED]",
      "Authorization: Basic dXNlcjpwYXNzd29yZA== sent | Authorization: [REDACTED] sent",
      "headers {Authorization=[Bearer abc]} | headers {Authorization=[[REDACTED]]}",
      "Authorization: Bearer [REDACTED] (a known token) | Authorization: [REDACTED] (a known token)",
      "\"authorization\": \"Token xyz\" | \"authorization\": \"[REDACTED]\"",
      "body client_id=abc&client_secret=hunter2&audience=x | body client_id=abc&client_secret=[REDACTED]&audience=x",
      "{\"clientSecret\":\"hu\\\"nter2\",\"x\":1} | {\"clientSecret\":\"[REDACTED]\",\"x\":1}",
      "{\"access_token\": \"opaque value\"} | {\"access_token\": \"[REDACTED]\"}",
      "escaped {\\\"access_token\\\":\\\"abc\\\"} | escaped {\\\"access_token\\\":\\\"[REDACTED]\\\"}",
      "password='p a s s' next | password='[REDACTED]' next",
      "api-key: k-123 next | api-key: [REDACTED] next",
      "url ?token=abc123&x=1 | url ?token=[REDACTED]&x=1",
      "{\"secret\":\"abc\"} | {\"secret\":\"[REDACTED]\"}",
  })
  void redactsWhatLooksLikeACredential(String text, String expected) {
    assertThat(SecretPatterns.redact(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----",
      "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----",
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE6TAbBgkqhkiG9w0BBQMwDgQI",
      "-----BEGIN%20OPENSSH%20PRIVATE%20KEY-----%0Ab3BlbnNzaC1rZXktdjE%0A-----END%20OPENSSH%20PRIVATE%20KEY-----",
      "-----BEGIN+EC+PRIVATE+KEY-----%0AMHcCAQEEIIrY%0A-----END+EC+PRIVATE+KEY-----",
  })
  void redactsPemPrivateKeysWholeEvenCutShortOrUrlEncoded(String pem) {
    assertThat(SecretPatterns.redact("key: " + pem + " end")).startsWith("key: [REDACTED]")
        .doesNotContain("MI").doesNotContain("b3Bl").doesNotContain("PRIVATE");
  }

  @ParameterizedTest
  @ValueSource(ints = {24, 32, 48, 64, 256})
  void redactsRandomBase64KeyMaterial(int bytes) {
    String key = base64(bytes);
    assertThat(SecretPatterns.redact("kek " + key + " loaded")).isEqualTo("kek [REDACTED] loaded");
    String url = key.replace('+', '-').replace('/', '_').replace("=", "");
    assertThat(SecretPatterns.redact("(" + url + ")")).isEqualTo("([REDACTED])");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // What the operator logs on purpose (grep LOG. in src/main): names, fingerprints, key ids.
      "store Secret payments/shop-reloadly-store is damaged (bad MAC); its KEK references are kept",
      "renewed the sealing key pair: new key 3f9a0c1d2e4b5a69",
      "rotated the key-encryption key: new key local-0011aabbccddeeff",
      "listed 2 compromised version(s) in Secret reloadly-system/reloadly-compromised-versions",
      "version hmac-sha256:0123456789abcdef0123456789abcdef is compromised",
      "uid 3b241101-e2bb-4255-8caf-4136c566a962 resourceVersion 123456789 generation 7",
      "reloadly-credential-operator-7d9f8c6b5-x2x9q leads: starting key maintenance",
      "KMS v2 plugin at unix:///var/run/kmsplugin/socket.sock is healthy: version v2, key id"
          + " arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "image sha256:9b2a5e0f3c1d4e6f8a7b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
      "[ReconcilerExecutor-reloadlycredential-123] io.javaoperatorsdk.operator.processing.event"
          + ".ReconciliationDispatcher",
      "Http2ConnectionPrefaceAndSettingsFrameReadHandler KubernetesClientTimeoutException",
      "PATCH https://10.96.0.1/apis/reloadly.dev/v1alpha1/namespaces/payments/reloadlycredentials"
          + "/shop/status: HTTP 409",
      "Reloadly issued a token for audience https://topups-sandbox.reloadly.com expiring at"
          + " 2025-06-01T10:00:00Z",
      "Token request for audience https://topups.reloadly.com will be retried: rate limited",
      "the portal password was last changed 2025-01-01 (C2 PortalPasswordRotated)",
      "token_type Bearer, scope developer",
      "Issued[accessToken=<redacted 812 chars>, tokenType=Bearer]",
  })
  void leavesWhatTheOperatorLogsOnPurpose(String line) {
    assertThat(SecretPatterns.redact(line)).isEqualTo(line);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[REDACTED]", "client_secret=[REDACTED]", "\"access_token\":\"[REDACTED]\"",
      "Authorization: [REDACTED]", "Bearer [REDACTED]"})
  void redactingTwiceChangesNothing(String redacted) {
    assertThat(SecretPatterns.redact(redacted)).isEqualTo(redacted);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void emptyTextStaysEmpty(String text) {
    assertThat(SecretPatterns.redact(text)).isEqualTo(text);
    assertThat(SecretPatterns.redact(null)).isNull();
  }

  private static String base64(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }
}
