package dev.reloadly.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthUrlsTest {

  @ParameterizedTest
  @ValueSource(strings = {"https://auth.reloadly.com/oauth/token", "https://auth.example.com/oauth/token",
      "http://127.0.0.1:8080/oauth/token", "http://127.1.2.3/x", "http://[::1]/x", "http://[::1]:9/x",
      "http://localhost/x", "http://LOCALHOST:80/x"})
  void httpsOrLoopbackIsAccepted(String url) {
    assertThatCode(() -> AuthUrls.requireSecureOrLoopback(URI.create(url))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://auth.reloadly.com/oauth/token", "http://10.0.0.1/x", "http://128.0.0.1/x",
      "http://localhost.evil.example/x", "http://[::2]/x", "http://127.0.0.1.nip.io/x"})
  void plainHttpElsewhereIsRefusedInOneLine(String url) {
    assertThatThrownBy(() -> AuthUrls.requireSecureOrLoopback(URI.create(url)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must use https")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://127.0.0.1/x", "/oauth/token", ""})
  void nonHttpOrRelativeUrlsAreRefused(String url) {
    assertThatThrownBy(() -> AuthUrls.requireSecureOrLoopback(URI.create(url)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute https URL");
  }

  @Test
  void missingUrlIsRefused() {
    assertThatThrownBy(() -> AuthUrls.requireSecureOrLoopback(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void userInfoIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> AuthUrls.requireSecureOrLoopback(
        URI.create("https://user:hunter2@auth.reloadly.com/oauth/token")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user info")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }
}
