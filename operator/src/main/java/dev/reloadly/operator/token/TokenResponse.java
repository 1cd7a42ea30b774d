package dev.reloadly.operator.token;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalLong;

/** The fields read from a token endpoint response, with the token kept as a char[] rather than a String. */
final class TokenResponse {

  private static final JsonFactory JSON = new JsonFactory();

  char[] accessToken;
  String tokenType;
  String scope;
  OptionalLong expiresInSeconds = OptionalLong.empty();
  String errorCode;

  private TokenResponse() {}

  /** Parses a JSON object body; throws IOException for anything else, including an empty body. */
  static TokenResponse parse(byte[] body) throws IOException {
    TokenResponse response = new TokenResponse();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("response body is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "access_token" -> response.readAccessToken(parser, value);
          case "token_type" -> response.tokenType = textOrNull(parser, value);
          case "scope" -> response.scope = textOrNull(parser, value);
          case "expires_in" -> response.expiresInSeconds = longOrEmpty(parser, value);
          case "errorCode", "error" -> {
            String code = textOrNull(parser, value);
            if (code != null && response.errorCode == null) {
              response.errorCode = code;
            }
          }
          default -> parser.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      response.wipe();
      // Parser messages can quote the offending input, which may be the token; keep only the type.
      throw new IOException("malformed token response (" + e.getClass().getSimpleName() + ")");
    }
    return response;
  }

  void wipe() {
    if (accessToken != null) {
      Arrays.fill(accessToken, '\0');
    }
  }

  private void readAccessToken(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      parser.skipChildren();
      return;
    }
    wipe();
    int offset = parser.getTextOffset();
    accessToken = Arrays.copyOfRange(parser.getTextCharacters(), offset, offset + parser.getTextLength());
  }

  private static String textOrNull(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    parser.skipChildren();
    return null;
  }

  private static OptionalLong longOrEmpty(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
      return OptionalLong.of(parser.getValueAsLong());
    }
    if (value == JsonToken.VALUE_STRING) {
      try {
        return OptionalLong.of(Long.parseLong(parser.getText().trim()));
      } catch (NumberFormatException notANumber) {
        return OptionalLong.empty();
      }
    }
    parser.skipChildren();
    return OptionalLong.empty();
  }
}
