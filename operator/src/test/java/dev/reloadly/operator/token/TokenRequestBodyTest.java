package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TokenRequestBodyTest {

  @Test
  void producesTheClientCredentialsJsonWithEscaping() throws Exception {
    String secret = "quote\" back\\slash \u0001 ctl \u00e9 \ud83d\ude00";

    byte[] body = TokenRequestBody.encode("id-1".toCharArray(), secret.toCharArray(), "https://topups.reloadly.com");
    JsonNode json = new ObjectMapper().readTree(body);

    assertThat(json.get("client_id").asText()).isEqualTo("id-1");
    assertThat(json.get("client_secret").asText()).isEqualTo(secret);
    assertThat(json.get("grant_type").asText()).isEqualTo("client_credentials");
    assertThat(json.get("audience").asText()).isEqualTo("https://topups.reloadly.com");
  }
}
