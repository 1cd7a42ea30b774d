package dev.reloadly.operator.reliability;

import dev.reloadly.operator.crypto.CredentialFingerprinter;
import dev.reloadly.operator.source.SecretBytes;
import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenResult;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Which credential version each token Reloadly issued to the operator belongs to, so a target
 * Secret's token can be checked against the version the Secret names. Keyed by the token's SHA-256:
 * it never holds a token.
 */
final class IssuedTokens {
  private final Map<String, String> versionByDigest = new ConcurrentHashMap<>();
  private final CredentialFingerprinter fingerprinter;

  IssuedTokens(CredentialFingerprinter fingerprinter) {
    this.fingerprinter = fingerprinter;
  }

  /**
   * Wraps one operator process's token client: records each token issued, and asks Reloadly
   * nothing once {@code dead} says the process was killed (a dead process sends no request).
   */
  ReloadlyTokenClient recording(ReloadlyTokenClient inner, BooleanSupplier dead) {
    return (clientId, clientSecret, audience) -> {
      if (dead.getAsBoolean()) {
        return new TokenResult.RetryLater(Duration.ZERO, "the operator process is gone");
      }
      TokenResult result = inner.requestToken(clientId, clientSecret, audience);
      if (result instanceof TokenResult.Issued issued) {
        byte[] token = SecretBytes.charsToUtf8(issued.accessToken());
        try {
          versionByDigest.put(digest(token), fingerprinter.fingerprint(clientId, clientSecret));
        } finally {
          Arrays.fill(token, (byte) 0);
        }
      }
      return result;
    };
  }

  /** The version {@code token} (its bytes) was issued for; empty if Reloadly never issued it. */
  Optional<String> versionOf(byte[] token) {
    return Optional.ofNullable(versionByDigest.get(digest(token)));
  }

  int count() {
    return versionByDigest.size();
  }

  private static String digest(byte[] token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
