package dev.reloadly.operator.reliability;

import dev.reloadly.operator.demo.EmbeddedApiServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dispatcher in front of the test API server's CRUD dispatcher that fails a share of the
 * operator's requests the ways a loaded API server does: 409 Conflict on a write, 429 with
 * Retry-After, 500, a slow answer, a watch dropped soon after it opened. Only requests with the
 * operator's bearer token ({@link EmbeddedApiServer#OPERATOR_TOKEN}) are touched; the test's own
 * client sees a healthy server.
 *
 * <p>Decisions come from a seeded {@link Random}: the n-th request of the operator gets the same
 * decision in every run with that seed. Which request is the n-th depends on the order the
 * operator's threads send them, so a run is reproducible in its faults, not in every interleaving.
 *
 * <p>A failed answer is given instead of the CRUD dispatcher's: the write did not happen, as
 * with a real server's 409, 429 or 500. A slow answer is the real one, after a delay (the write
 * happened). The answers are sent from the server's event loop, so nothing here blocks it: the
 * delay is the mock server's own body delay, and a watch is closed from a timer.
 */
final class ApiFaults {

  /** What was done to a request. */
  enum Kind {
    /**
     * 409 Conflict, as for a stale resourceVersion: updates and patches only. (A real server
     * answers a create with 409 only when the object exists, which a fault cannot fake.)
     */
    CONFLICT,
    /** 429 Too Many Requests with Retry-After: 1. */
    TOO_MANY_REQUESTS,
    /** 500 Internal Server Error. */
    SERVER_ERROR,
    /** The real answer, {@link #SLOW_MIN} to {@link #SLOW_MAX} late. */
    SLOW,
    /** A watch accepted, then closed by the server within {@link #DROP_WITHIN}. */
    WATCH_DROPPED
  }

  static final Duration SLOW_MIN = Duration.ofMillis(200);
  static final Duration SLOW_MAX = Duration.ofMillis(500);
  static final Duration DROP_WITHIN = Duration.ofSeconds(1);
  private static final Kind[] UPDATE_FAULTS =
      {Kind.CONFLICT, Kind.TOO_MANY_REQUESTS, Kind.SERVER_ERROR, Kind.SLOW};
  private static final Kind[] OTHER_FAULTS =
      {Kind.TOO_MANY_REQUESTS, Kind.SERVER_ERROR, Kind.SLOW};
  private static final Kind[] WATCH_FAULTS = {Kind.WATCH_DROPPED};

  private final double rate;
  private final Random random;
  private volatile boolean enabled = true;
  private final AtomicLong operatorRequests = new AtomicLong();
  private final AtomicLong operatorWatches = new AtomicLong();
  private final AtomicLong operatorWrites = new AtomicLong();
  private final AtomicLong writesApplied = new AtomicLong();
  private final Map<Kind, AtomicLong> injected = new EnumMap<>(Kind.class);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "api-faults");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param rate the share of the operator's requests to fail, 0 to 1
   * @param seed for the decisions, so a run can be repeated
   */
  ApiFaults(double rate, long seed) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be within [0, 1], got " + rate);
    }
    this.rate = rate;
    this.random = new Random(seed);
    for (Kind kind : Kind.values()) {
      injected.put(kind, new AtomicLong());
    }
  }

  /** Puts this layer in front of {@code crud}: pass {@code faults::in} to the server's start. */
  Dispatcher in(Dispatcher crud) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return ApiFaults.this.dispatch(request, crud);
      }

      @Override
      public void shutdown() {
        timer.shutdownNow();
        crud.shutdown();
      }
    };
  }

  /** Stops injecting; counting goes on. */
  void heal() {
    enabled = false;
  }

  /** Requests the operator sent, watches included. */
  long operatorRequests() {
    return operatorRequests.get();
  }

  long operatorWatches() {
    return operatorWatches.get();
  }

  /** Writes (POST, PUT, PATCH, DELETE) the operator sent, answered or failed. */
  long operatorWrites() {
    return operatorWrites.get();
  }

  /** The operator's writes that reached the CRUD store. */
  long writesApplied() {
    return writesApplied.get();
  }

  long injected(Kind kind) {
    return injected.get(kind).get();
  }

  long injected() {
    return injected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Faults by kind, e.g. {CONFLICT=3, ...}. */
  Map<Kind, Long> injectedByKind() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    injected.forEach((kind, count) -> counts.put(kind, count.get()));
    return counts;
  }

  private MockResponse dispatch(RecordedRequest request, Dispatcher crud) {
    if (!fromOperator(request)) {
      return crud.dispatch(request);
    }
    operatorRequests.incrementAndGet();
    boolean watch = isWatch(request);
    boolean write = !"GET".equals(request.getMethod());
    if (watch) {
      operatorWatches.incrementAndGet();
    }
    if (write) {
      operatorWrites.incrementAndGet();
    }
    boolean update = "PUT".equals(request.getMethod()) || "PATCH".equals(request.getMethod());
    Decision decision = decide(watch ? WATCH_FAULTS : update ? UPDATE_FAULTS : OTHER_FAULTS);
    if (decision.kind() == null) {
      return applied(crud.dispatch(request), write);
    }
    injected.get(decision.kind()).incrementAndGet();
    return switch (decision.kind()) {
      case CONFLICT -> status(409, "Conflict", "Operation cannot be fulfilled: the object has"
          + " been modified; please apply your changes to the latest version and try again");
      case TOO_MANY_REQUESTS -> status(429, "TooManyRequests",
          "the server has received too many requests and has asked us to try again later")
          .setHeader("Retry-After", "1");
      case SERVER_ERROR -> status(500, "InternalError", "an error on the server has prevented"
          + " the request from succeeding");
      case SLOW -> applied(crud.dispatch(request), write).setBodyDelay(decision.delay());
      case WATCH_DROPPED -> dropLater(crud.dispatch(request), decision.delay());
    };
  }

  private MockResponse applied(MockResponse response, boolean write) {
    if (write && response.code() < 300) {
      writesApplied.incrementAndGet();
    }
    return response;
  }

  /** A fault (or none) and its delay, drawn together so a seed gives the same sequence. */
  private record Decision(Kind kind, Duration delay) {}

  private Decision decide(Kind[] kinds) {
    synchronized (random) {
      boolean fail = random.nextDouble() < rate;
      Kind kind = kinds[random.nextInt(kinds.length)];
      Duration delay = kind == Kind.WATCH_DROPPED
          ? Duration.ofMillis(random.nextInt((int) DROP_WITHIN.toMillis()))
          : SLOW_MIN.plusMillis(random.nextInt((int) (SLOW_MAX.toMillis() - SLOW_MIN.toMillis())));
      return new Decision(fail && enabled ? kind : null, delay);
    }
  }

  private static boolean fromOperator(RecordedRequest request) {
    return ("Bearer " + EmbeddedApiServer.OPERATOR_TOKEN).equals(request.getHeader("Authorization"));
  }

  private static boolean isWatch(RecordedRequest request) {
    String path = request.getPath();
    return "GET".equals(request.getMethod()) && path.contains("watch=true");
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
            + "\"Failure\",\"message\":\"" + message + "\",\"reason\":\"" + reason
            + "\",\"code\":" + code + "}");
  }

  /** The watch as the CRUD dispatcher opens it, closed by the server {@code after} it opened. */
  private MockResponse dropLater(MockResponse watch, Duration after) {
    WebSocketListener real = watch.getWebSocketListener();
    if (real == null) {
      return watch;
    }
    return watch.withWebSocketUpgrade(new ForwardingListener(real) {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        super.onOpen(webSocket, response);
        // 1001 Going Away: what an API server sends when it stops a watch, e.g. on restart.
        timer.schedule(() -> webSocket.close(1001, "watch dropped by ApiFaults"),
            after.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }
}
