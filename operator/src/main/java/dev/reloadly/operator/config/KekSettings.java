package dev.reloadly.operator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the key-encryption keys are protected (docs/crypto.md).
 *
 * @param provider local key bytes in the key Secret (the default), or a KMS v2 plugin
 * @param kmsSocket the plugin's Unix socket; required for {@link Provider#KMS_V2}, and with
 *     {@link Provider#LOCAL} only to read back a ring a KMS plugin wrapped (moving back to local)
 * @param kmsTimeout bound of each call to the plugin
 * @param kmsRecheck how long a plugin health answer is trusted before new data asks again, and
 *     how long a new version waits before trying again while the plugin is down
 */
public record KekSettings(Provider provider, Path kmsSocket, Duration kmsTimeout,
    Duration kmsRecheck) {

  public static final Duration DEFAULT_KMS_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_KMS_RECHECK = Duration.ofSeconds(30);

  /** The value of {@code --kek-provider}. */
  public enum Provider {
    LOCAL("local"),
    KMS_V2("kms-v2");

    private final String flag;

    Provider(String flag) {
      this.flag = flag;
    }

    public String flag() {
      return flag;
    }

    public static Provider parse(String value) {
      String wanted = value.trim().toLowerCase(Locale.ROOT);
      for (Provider p : values()) {
        if (p.flag.equals(wanted)) {
          return p;
        }
      }
      throw new IllegalArgumentException("--kek-provider: '" + value
          + "' is not one of local, kms-v2");
    }
  }

  public KekSettings {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(kmsTimeout, "kmsTimeout");
    Objects.requireNonNull(kmsRecheck, "kmsRecheck");
    if (provider == Provider.KMS_V2 && kmsSocket == null) {
      throw new IllegalArgumentException("--kek-provider kms-v2 needs --kms-socket, the path of"
          + " the KMS v2 plugin's Unix socket");
    }
    if (kmsTimeout.isNegative() || kmsTimeout.isZero()
        || kmsTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("--kms-timeout: must be more than 0s and at most 5m");
    }
    if (kmsRecheck.isNegative() || kmsRecheck.isZero()) {
      throw new IllegalArgumentException("the KMS recheck interval must be positive");
    }
  }

  /** Local KEKs, as the demo and small clusters use them. */
  public static KekSettings local() {
    return new KekSettings(Provider.LOCAL, null, DEFAULT_KMS_TIMEOUT, DEFAULT_KMS_RECHECK);
  }

  /** A KMS v2 plugin at {@code socket} with the default timeout and recheck. */
  public static KekSettings kmsV2(Path socket) {
    return new KekSettings(Provider.KMS_V2, socket, DEFAULT_KMS_TIMEOUT, DEFAULT_KMS_RECHECK);
  }

  public KekSettings withKmsRecheck(Duration recheck) {
    return new KekSettings(provider, kmsSocket, kmsTimeout, recheck);
  }
}
