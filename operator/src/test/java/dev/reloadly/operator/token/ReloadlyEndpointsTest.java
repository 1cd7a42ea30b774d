package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReloadlyEndpointsTest {

  @ParameterizedTest
  @CsvSource({
    "airtime, live, https://topups.reloadly.com",
    "airtime, sandbox, https://topups-sandbox.reloadly.com",
    "giftcards, live, https://giftcards.reloadly.com",
    "giftcards, sandbox, https://giftcards-sandbox.reloadly.com",
    "utilities, live, https://utilities.reloadly.com",
    "utilities, sandbox, https://utilities-sandbox.reloadly.com"
  })
  void defaultsAreReloadlysPublicBaseUrls(String product, String environment, String expected) {
    assertThat(ReloadlyEndpoints.defaults().audience(product, environment)).isEqualTo(expected);
  }

  @Test
  void defaultAuthUrl() {
    assertThat(ReloadlyEndpoints.defaults().authUrl()).isEqualTo(URI.create("https://auth.reloadly.com/oauth/token"));
  }

  @Test
  void overridesPointAtASimulator() {
    ReloadlyEndpoints endpoints = ReloadlyEndpoints.builder()
        .authUrl("http://127.0.0.1:8089/oauth/token")
        .baseUrl(ReloadlyProduct.AIRTIME, ReloadlyEnvironment.SANDBOX, "http://localhost:8090")
        .build();

    assertThat(endpoints.authUrl()).hasPort(8089);
    assertThat(endpoints.audience(ReloadlyProduct.AIRTIME, ReloadlyEnvironment.SANDBOX)).isEqualTo("http://localhost:8090");
    assertThat(endpoints.audience(ReloadlyProduct.AIRTIME, ReloadlyEnvironment.LIVE)).isEqualTo("https://topups.reloadly.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:1/oauth/token", "http://127.1.2.3/x", "http://[::1]:9/x", "http://localhost/x",
      "http://LOCALHOST:80/x", "https://auth.example.com/oauth/token"})
  void httpsOrLoopbackIsAccepted(String url) {
    assertThat(ReloadlyEndpoints.builder().authUrl(url).build().authUrl()).isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://auth.reloadly.com/oauth/token", "http://10.0.0.1/x", "http://128.0.0.1/x",
      "http://localhost.evil.example/x", "http://[::2]/x", "http://127.0.0.1.nip.io/x"})
  void plainHttpElsewhereIsRefusedInOneLine(String url) {
    assertThatThrownBy(() -> ReloadlyEndpoints.builder().authUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must use https")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://127.0.0.1/x", "/oauth/token", "not a url", ""})
  void nonHttpUrlsAreRefused(String url) {
    assertThatThrownBy(() -> ReloadlyEndpoints.builder().authUrl(url)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void userInfoIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> ReloadlyEndpoints.builder().authUrl("https://user:hunter2@auth.reloadly.com/oauth/token"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void unknownProductOrEnvironmentIsRefused() {
    assertThatThrownBy(() -> ReloadlyEndpoints.defaults().audience("bills", "live"))
        .hasMessageContaining("airtime, giftcards, utilities");
    assertThatThrownBy(() -> ReloadlyEndpoints.defaults().audience("airtime", "prod"))
        .hasMessageContaining("live, sandbox");
  }
}
