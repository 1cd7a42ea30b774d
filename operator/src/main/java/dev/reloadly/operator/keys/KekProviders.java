package dev.reloadly.operator.keys;

import dev.reloadly.operator.config.KekSettings;
import dev.reloadly.operator.crypto.KekProvider;
import dev.reloadly.operator.crypto.KekUnavailableException;
import dev.reloadly.operator.crypto.LocalKekProvider;
import dev.reloadly.operator.crypto.kms.KmsV2KekProvider;
import dev.reloadly.operator.crypto.kms.KmsV2Plugin;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/** Opens the KEK provider the settings name. */
public final class KekProviders {
  private KekProviders() {
  }

  /**
   * @throws KekUnavailableException when a KMS v2 plugin is named and does not answer healthy,
   *     with a message naming its socket and what failed
   */
  public static KekProvider open(KekSettings settings, Clock clock, SecureRandom random) {
    if (settings.kmsSocket() == null) {
      return new LocalKekProvider();
    }
    KmsV2Plugin plugin = KmsV2Plugin.connect(settings.kmsSocket(), settings.kmsTimeout());
    try {
      KmsV2KekProvider kms = KmsV2KekProvider.start(plugin, clock, settings.kmsRecheck(), random);
      if (settings.provider() == KekSettings.Provider.KMS_V2) {
        return kms;
      }
      // Local KEKs, reading a KMS-wrapped ring one last time: the way back from KMS.
      return new LocalKekProvider(Optional.of(kms::parseSecretAsLocal), kms::close);
    } catch (RuntimeException e) {
      plugin.close();
      throw e;
    }
  }
}
