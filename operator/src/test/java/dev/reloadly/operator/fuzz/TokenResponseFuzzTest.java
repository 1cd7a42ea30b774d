package dev.reloadly.operator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.reloadly.operator.logging.KnownSecrets;
import dev.reloadly.operator.token.HttpReloadlyTokenClient;
import dev.reloadly.operator.token.JwtExpiry;
import dev.reloadly.operator.token.TokenResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Answers of Reloadly's token endpoint, generated: malformed and huge JSON, wrong types, missing
 * fields, absurd {@code expires_in}, bad JWTs, odd statuses and Retry-After headers, served over
 * real HTTP to {@link HttpReloadlyTokenClient}. Every answer becomes a {@link TokenResult} of the
 * status's family (never an exception), an issued token is usable (it expires after it was
 * issued), and no cause or error code repeats the body, which may hold a token.
 */
@AddLifecycleHook(FuzzBudget.class)
class TokenResponseFuzzTest {
  private static final Instant NOW = Instant.parse("2025-05-01T00:00:00Z");
  /** In every body: no message may repeat it. */
  private static final String MARKER = "BODY-MARKER-9c1f";
  private static final String AUDIENCE = "https://topups-sandbox.reloadly.com";

  private static HttpServer server;
  private static volatile Answer next;
  private static HttpReloadlyTokenClient client;

  /** What the endpoint answers to the next request. */
  record Answer(int status, Map<String, String> headers, byte[] body, String token) {
    @Override
    public String toString() {
      String text = new String(body, StandardCharsets.UTF_8);
      return "HTTP " + status + " " + headers + " "
          + (text.length() > 300 ? text.substring(0, 300) + "... (" + body.length + " bytes)" : text);
    }
  }

  @BeforeContainer
  static void startEndpoint() throws IOException {
    // Without TCP_NODELAY a small answer waits out the client's delayed ACK: 45 ms a request
    // instead of 1. Read once, when the JDK's HTTP server is first used in this JVM.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Answer answer = next;
      exchange.getRequestBody().readAllBytes();
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      // 204 and 304 carry no body in HTTP; the server would refuse to send one.
      boolean noBody = answer.body().length == 0 || answer.status() == 204
          || answer.status() == 304;
      exchange.sendResponseHeaders(answer.status(), noBody ? -1 : answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (!noBody) {
          out.write(answer.body());
        }
      }
    });
    server.start();
    client = new HttpReloadlyTokenClient(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/oauth/token"), Clock.fixed(NOW, ZoneOffset.UTC),
        Duration.ofSeconds(5), Duration.ofSeconds(20),
        new KnownSecrets(Clock.fixed(NOW, ZoneOffset.UTC), new java.util.Random(1), 64));
  }

  @AfterContainer
  static void stopEndpoint() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Provide
  Arbitrary<Answer> answers() {
    Arbitrary<Integer> status = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.just(200)),
        Tuple.of(3, Arbitraries.of(400, 401, 403)),
        Tuple.of(2, Arbitraries.of(429, 500, 502, 503)),
        Tuple.of(1, Arbitraries.of(201, 204, 301, 302, 404, 418, 599)));
    Arbitrary<Map<String, String>> headers = Arbitraries.maps(
        Arbitraries.of("Retry-After", "X-RateLimit-Reset", "Content-Type"),
        Arbitraries.oneOf(Arbitraries.of("5", "-5", "0", "99999999999999999999",
            "9223372036854775807", "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT", "soon", "", "application/json", "text/html",
            "1000000000", "99999999999"), Arbitraries.strings().ascii().ofMaxLength(12)
            .filter(s -> s.chars().allMatch(c -> c >= 0x20 && c < 0x7f))))
        .ofMaxSize(2);
    return Combinators.combine(status, headers, tokens(), bodyShapes())
        .as((s, h, token, shape) -> new Answer(s, h, shape.body(token), token));
  }

  /** Access tokens: JWTs with every kind of exp, broken JWTs, and opaque strings. */
  static Arbitrary<String> tokens() {
    Arbitrary<String> exp = Arbitraries.oneOf(
        Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L).map(String::valueOf),
        Arbitraries.of(String.valueOf(NOW.getEpochSecond() + 3600), "1e300", "-1e300",
            "9223372036854775807", "99999999999999999999999", "1.5", "\"1746064800\"", "null",
            "[]", "{}", "true"));
    Arbitrary<String> payload = exp.map(e -> "{\"sub\":\"" + MARKER + "\",\"exp\":" + e + "}");
    Arbitrary<String> jwt = payload.map(p -> "eyJhbGciOiJIUzI1NiJ9." + Base64.getUrlEncoder()
        .withoutPadding().encodeToString(p.getBytes(StandardCharsets.UTF_8)) + ".c2ln");
    return Arbitraries.frequencyOf(
        Tuple.of(5, jwt),
        Tuple.of(1, jwt.map(t -> t + ".extra")),
        Tuple.of(1, jwt.map(t -> t.replace('.', '!'))),
        Tuple.of(1, Arbitraries.of(".", "..", "a..b", "eyJ.@@@.sig", "e30.e30.e30",
            "x.\u00e9\u00e9.y")),
        Tuple.of(2, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(40)
            .map(s -> "opaque-" + s)));
  }

  /** How a body is built around the token. */
  interface Shape {
    byte[] body(String token);
  }

  static Arbitrary<Shape> bodyShapes() {
    Arbitrary<String> expiresIn = Arbitraries.oneOf(
        Arbitraries.longs().between(-100_000, 100_000_000).map(String::valueOf),
        Arbitraries.of("0", "-1", "9223372036854775807", "-9223372036854775808",
            "99999999999999999999", "1e300", "3600.9", "\"3600\"", "\" 86400 \"", "\"x\"",
            "null", "[]", "{}", "true", "31556952000", "1000000000000000"));
    Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.of("\"Bearer\"", "null", "1", "[]",
        "{\"a\":1}", "\"" + MARKER + "\""), Arbitraries.strings().alpha().ofMaxLength(8)
        .map(s -> "\"" + s + "\""));
    Arbitrary<String> errorCode = Arbitraries.oneOf(Arbitraries.of("\"INVALID_CREDENTIALS\"",
        "\"INVALID_AUDIENCE\"", "\"" + MARKER + " with spaces\"", "\"a\\nb\"", "123", "null",
        "\"" + "E".repeat(65) + "\""), Arbitraries.strings().ofMaxLength(10).map(s ->
        "\"" + s.replace("\\", "").replace("\"", "") + "\""));
    Arbitrary<Shape> object = Combinators.combine(
        Arbitraries.of(true, true, true, false), expiresIn, text, text, errorCode,
        Arbitraries.of("", ",\"extra\":{\"deep\":[1,2,{\"x\":null}]}",
            ",\"access_token\":\"second\"", ",\"access_token\":123"))
        .as((withToken, expires, tokenType, scope, error, extra) -> token -> (
            "{" + (withToken ? "\"access_token\":\"" + token + "\"," : "")
                + "\"expires_in\":" + expires + ",\"token_type\":" + tokenType
                + ",\"scope\":" + scope + ",\"errorCode\":" + error
                + ",\"note\":\"" + MARKER + "\"" + extra + "}").getBytes(StandardCharsets.UTF_8));
    return Arbitraries.frequencyOf(
        Tuple.of(40, object),
        Tuple.of(2, object.flatMap(o -> Arbitraries.integers().between(0, 400).map(n ->
            token -> {
              byte[] full = o.body(token);
              return java.util.Arrays.copyOf(full, Math.min(n, full.length));
            }))),
        Tuple.of(1, Arbitraries.integers().between(500_000, 1_500_000).map(n -> token ->
            ("{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"padding\":\""
                + "x".repeat(n) + MARKER + "\"}").getBytes(StandardCharsets.UTF_8))),
        Tuple.of(1, Arbitraries.integers().between(1, 3000).map(depth -> token ->
            ("{\"access_token\":\"" + token + "\",\"deep\":" + "[".repeat(depth)
                + "]".repeat(depth) + ",\"expires_in\":60}").getBytes(StandardCharsets.UTF_8))),
        Tuple.of(2, Arbitraries.of(
            (Shape) token -> new byte[0],
            token -> ("<html>" + MARKER + " " + token + "</html>").getBytes(StandardCharsets.UTF_8),
            token -> ("[\"" + token + "\"]").getBytes(StandardCharsets.UTF_8),
            token -> ("\"" + token + "\"").getBytes(StandardCharsets.UTF_8),
            token -> ("{\"access_token\":\"" + token + "\",\"expires_in\":60} {\"x\":1}")
                .getBytes(StandardCharsets.UTF_8),
            token -> new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'})),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
            .map(bytes -> token -> bytes)));
  }

  @Property(tries = 2000, seed = "20250501")
  void everyAnswerBecomesATokenResultOfItsFamily(@ForAll("answers") Answer answer) {
    next = answer;

    TokenResult result = client.requestToken("client-id".toCharArray(),
        "client-secret".toCharArray(), AUDIENCE);

    Statistics.label("result").collect(result.getClass().getSimpleName());
    assertThat(result).isNotNull();
    if (result instanceof TokenResult.Issued issued) {
      assertThat(answer.status()).isEqualTo(200);
      // Of two access_token fields the last one counts, as in any JSON reader.
      String last = new String(answer.body(), StandardCharsets.UTF_8)
          .contains("\"access_token\":\"second\"") ? "second" : answer.token();
      assertThat(new String(issued.accessToken())).isEqualTo(last);
      assertThat(issued.issuedAt()).isEqualTo(NOW);
      assertThat(issued.expiresAt()).as("an issued token expires after it was issued")
          .isAfter(issued.issuedAt());
      assertThat(issued.toString()).doesNotContain(answer.token());
    } else if (result instanceof TokenResult.Rejected rejected) {
      assertThat(answer.status()).isIn(400, 401, 403);
      assertThat(rejected.errorCode()).matches("[A-Za-z0-9_.-]{1,64}").doesNotContain(MARKER);
      if (answer.token().length() > 8) {
        assertThat(rejected.errorCode()).doesNotContain(answer.token());
      }
    } else {
      TokenResult.RetryLater retry = (TokenResult.RetryLater) result;
      assertThat(answer.status()).isNotIn(400, 401, 403);
      assertThat(retry.after()).isBetween(Duration.ZERO, Duration.ofHours(1));
      assertThat(retry.cause()).isNotBlank().doesNotContain(MARKER)
          .doesNotContain(answer.token()).hasSizeLessThan(200);
    }
  }

  @Provide
  Arbitrary<String> jwtLikeTokens() {
    return Arbitraries.oneOf(tokens(), Arbitraries.strings().all().ofMaxLength(200),
        tokens().flatMap(t -> Mutations.of("").map(m -> {
          // The token's characters as the mutated "body": bits flipped, cut, extended.
          String mutated = m.applyTo(Base64.getUrlEncoder().withoutPadding()
              .encodeToString(t.getBytes(StandardCharsets.UTF_8)));
          String text;
          try {
            text = new String(Base64.getUrlDecoder().decode(mutated), StandardCharsets.ISO_8859_1);
          } catch (IllegalArgumentException notBase64) {
            text = mutated;
          }
          return text.length() > 100_000 ? text.substring(0, 100_000) : text;
        })));
  }

  @Property(tries = 3000, seed = "20250502")
  void jwtExpiryReadsAnExpOrNothing(@ForAll("jwtLikeTokens") String token) {
    java.util.Optional<Instant> exp = JwtExpiry.readExp(token.toCharArray());

    Statistics.label("exp").collect(exp.isPresent() ? "read" : "none");
  }
}
