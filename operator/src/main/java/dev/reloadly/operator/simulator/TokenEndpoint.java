package dev.reloadly.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.reloadly.operator.api.v1alpha1.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** Speaks Reloadly's {@code POST /oauth/token} protocol, errors and injected faults included. */
final class TokenEndpoint implements HttpHandler {

  static final String PATH = "/oauth/token";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReloadlySimulator simulator;
  private final SimulatedJwt jwt = new SimulatedJwt();

  TokenEndpoint(ReloadlySimulator simulator) {
    this.simulator = simulator;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    SimulatorStats stats = simulator.stats();
    stats.requestStarted();
    boolean counted = true;
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      pause(simulator.latency());
      Reply reply = respond(exchange, body);
      pause(reply.stall());
      // The answer is decided: the request stops counting before its first byte leaves. Once the
      // last byte arrives the client may send its next request (a limiter hands its permit on),
      // and the server dispatches it on the kept-alive connection at once, possibly before this
      // thread gets back here; counting until then would report overlap the client never caused.
      stats.requestFinished();
      counted = false;
      if (reply.drop()) {
        // Closing an exchange before its headers are sent closes the connection: the client
        // reads end of stream where an answer should be.
        return;
      }
      send(exchange, reply);
    } finally {
      if (counted) {
        stats.requestFinished();
      }
    }
  }

  /**
   * An answer decided before any of it is written: a status and body (after {@code stall}), or
   * a connection closed without one.
   */
  private record Reply(int status, byte[] body, String contentType, Duration stall, boolean drop) {
    Reply(int status, ObjectNode json) {
      this(status, bytes(json), "application/json", Duration.ZERO, false);
    }

    Reply stalled(Duration delay) {
      return new Reply(status, body, contentType, delay, drop);
    }

    static Reply dropped() {
      return new Reply(0, new byte[0], null, Duration.ZERO, true);
    }

    private static byte[] bytes(ObjectNode json) {
      try {
        return JSON.writeValueAsBytes(json);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private Reply respond(HttpExchange exchange, byte[] body) {
    if (!PATH.equals(exchange.getRequestURI().getPath())) {
      return new Reply(404, error(404, "Not Found", "NOT_FOUND"));
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      return new Reply(405, error(405, "Method Not Allowed", "METHOD_NOT_ALLOWED"));
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException malformed) {
      request = null;
    }
    if (request == null || !request.isObject()) {
      return new Reply(400, error(400, "Malformed request body", "INVALID_REQUEST"));
    }
    String clientId = request.path("client_id").asText("");
    simulator.stats().requestFrom(clientId);
    Instant now = simulator.clock().instant();
    Optional<FaultPlan.Fault> fault = simulator.faults().next(now);
    if (fault.isPresent() && fault.get() instanceof FaultPlan.Stall stall) {
      // The endpoint works, only too late: the answer is the right one, after the stall.
      return answer(request, clientId, now).stalled(stall.delay());
    }
    if (fault.isPresent()) {
      return fault(exchange, fault.get());
    }
    return answer(request, clientId, now);
  }

  private Reply answer(JsonNode request, String clientId, Instant now) {
    if (!"client_credentials".equals(request.path("grant_type").asText())) {
      return new Reply(400, error(400, "Unsupported grant type", "UNSUPPORTED_GRANT_TYPE"));
    }
    if (!simulator.isValid(clientId, request.path("client_secret").asText(""))) {
      return new Reply(401, error(401, "Access Denied", "INVALID_CREDENTIALS"));
    }
    String audience = request.path("audience").asText("");
    Optional<Environment> environment = simulator.environmentOf(audience);
    if (environment.isEmpty()) {
      return new Reply(401, error(401, "Access Denied", "INVALID_AUDIENCE"));
    }
    return new Reply(200, issue(clientId, audience, environment.get(), now));
  }

  private ObjectNode issue(String clientId, String audience, Environment environment, Instant now) {
    Duration lifetime = simulator.lifetime(environment);
    Instant expiresAt = now.plus(lifetime);
    String token = jwt.mint(clientId, audience, environment == Environment.SANDBOX, now,
        expiresAt.plus(simulator.jwtExpiryShift()));
    simulator.recordIssued(new SimulatedToken(clientId, audience, token, now, expiresAt));
    ObjectNode response = JSON.createObjectNode();
    response.put("access_token", token);
    response.put("scope", "developer");
    response.put("expires_in", lifetime.toSeconds());
    response.put("token_type", "Bearer");
    return response;
  }

  private Reply fault(HttpExchange exchange, FaultPlan.Fault fault) {
    if (fault instanceof FaultPlan.Reset) {
      return Reply.dropped();
    }
    if (fault instanceof FaultPlan.Garbage garbage) {
      return garbage(garbage.kind());
    }
    if (fault instanceof FaultPlan.ServerError serverError) {
      return new Reply(serverError.status(),
          error(serverError.status(), "Internal Server Error", "INTERNAL_SERVER_ERROR"));
    }
    FaultPlan.RateLimited limited = (FaultPlan.RateLimited) fault;
    var headers = exchange.getResponseHeaders();
    headers.set("X-RateLimit-Limit", Integer.toString(limited.limit()));
    headers.set("X-RateLimit-Remaining", "0");
    headers.set("X-RateLimit-Reset", Long.toString(ceilSeconds(limited.reset())));
    if (limited.retryAfter() != null) {
      headers.set("Retry-After", Long.toString(ceilSeconds(limited.retryAfter())));
    }
    return new Reply(429, error(429, "Too Many Requests", "TOO_MANY_REQUESTS"));
  }

  private ObjectNode error(int status, String message, String errorCode) {
    ObjectNode body = JSON.createObjectNode();
    body.put("timeStamp", simulator.clock().instant().toString());
    body.put("message", message);
    body.put("path", PATH);
    body.put("errorCode", errorCode);
    body.putNull("infoLink");
    body.putArray("details");
    return body;
  }

  /** A 200 whose body is no usable token answer; none of them carries a real token. */
  private static Reply garbage(ReloadlySimulator.Garbage kind) {
    return switch (kind) {
      case NOT_JSON -> new Reply(200, ("<html><head><title>502 Bad Gateway</title></head>"
          + "<body><center>nginx</center></body></html>").getBytes(StandardCharsets.UTF_8),
          "text/html", Duration.ZERO, false);
      case WRONG_TYPES -> json("{\"access_token\":{\"value\":\"garbage\"},"
          + "\"expires_in\":\"soon\",\"token_type\":7,\"scope\":[\"developer\"]}");
      case HUGE -> new Reply(200, hugeBody(), "application/json", Duration.ZERO, false);
      case EXPIRES_AT_ONCE -> json("{\"access_token\":\"garbage-expires-at-once\","
          + "\"expires_in\":0,\"token_type\":\"Bearer\",\"scope\":\"developer\"}");
      case EXPIRY_OVERFLOW -> json("{\"access_token\":\"garbage-expiry-overflow\","
          + "\"expires_in\":" + Long.MAX_VALUE + ",\"token_type\":\"Bearer\","
          + "\"scope\":\"developer\"}");
    };
  }

  private static Reply json(String body) {
    return new Reply(200, body.getBytes(StandardCharsets.UTF_8), "application/json",
        Duration.ZERO, false);
  }

  /** A well-formed token answer, {@link ReloadlySimulator#HUGE_BODY_BYTES} long. */
  private static byte[] hugeBody() {
    byte[] head = "{\"access_token\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\",\"expires_in\":86400,\"token_type\":\"Bearer\",\"scope\":\"developer\"}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[ReloadlySimulator.HUGE_BODY_BYTES];
    Arrays.fill(body, (byte) 'A');
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
    return body;
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), reply.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply.body());
    }
  }

  private static long ceilSeconds(Instant instant) {
    return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
  }

  private static long ceilSeconds(Duration duration) {
    return duration.getNano() == 0 ? duration.getSeconds() : duration.getSeconds() + 1;
  }

  private static void pause(Duration latency) {
    if (latency.isZero() || latency.isNegative()) {
      return;
    }
    try {
      // The simulator stands in for a slow remote server; blocking this worker is the point.
      Thread.sleep(latency.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
