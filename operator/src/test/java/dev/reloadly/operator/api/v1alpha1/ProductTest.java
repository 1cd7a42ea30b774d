package dev.reloadly.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProductTest {

  @ParameterizedTest
  @CsvSource({
    "AIRTIME, LIVE, https://topups.reloadly.com",
    "AIRTIME, SANDBOX, https://topups-sandbox.reloadly.com",
    "GIFTCARDS, LIVE, https://giftcards.reloadly.com",
    "GIFTCARDS, SANDBOX, https://giftcards-sandbox.reloadly.com",
    "UTILITIES, LIVE, https://utilities.reloadly.com",
    "UTILITIES, SANDBOX, https://utilities-sandbox.reloadly.com"
  })
  void baseUrlIsReloadlysPublicUrlAndTheTokenAudience(Product product, Environment environment, String expected) {
    assertThat(product.baseUrl(environment)).isEqualTo(expected);
  }
}
