package dev.reloadly.operator.simulator;

import com.sun.net.httpserver.HttpServer;
import dev.reloadly.operator.api.v1alpha1.Environment;
import dev.reloadly.operator.api.v1alpha1.Product;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback stand-in for Reloadly's auth server, for tests and the demo only; never an operator default. */
public final class ReloadlySimulator implements AutoCloseable {

  public static final Duration LIVE_TOKEN_LIFETIME = Duration.ofSeconds(5_184_000);
  public static final Duration SANDBOX_TOKEN_LIFETIME = Duration.ofSeconds(86_400);

  // Enough workers that the simulator never becomes the concurrency bottleneck tests measure.
  private static final int WORKERS = 32;

  private final Clock clock;
  private final Map<String, String> credentials = new ConcurrentHashMap<>();
  private final Map<String, java.util.Set<String>> extra = new ConcurrentHashMap<>();
  private final Map<String, Environment> audiences = new ConcurrentHashMap<>();
  private final Map<Environment, Duration> lifetimes = new EnumMap<>(Environment.class);
  private final List<SimulatedToken> issued = new CopyOnWriteArrayList<>();
  private final FaultPlan faults = new FaultPlan();
  private final SimulatorStats stats = new SimulatorStats();
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration jwtExpiryShift = Duration.ZERO;
  private HttpServer server;
  private ExecutorService workers;

  /** A simulator on the system clock. */
  public ReloadlySimulator() {
    this(Clock.systemUTC());
  }

  /** A simulator whose iat/exp and rate-limit windows follow {@code clock}. */
  public ReloadlySimulator(Clock clock) {
    this.clock = clock;
    lifetimes.put(Environment.LIVE, LIVE_TOKEN_LIFETIME);
    lifetimes.put(Environment.SANDBOX, SANDBOX_TOKEN_LIFETIME);
    for (Product product : Product.values()) {
      for (Environment environment : Environment.values()) {
        audiences.put(product.baseUrl(environment), environment);
      }
    }
  }

  /** Binds 127.0.0.1 on an ephemeral port and starts serving. */
  public synchronized ReloadlySimulator start() {
    return start(0);
  }

  /** Binds 127.0.0.1 on {@code port} (0: an ephemeral one) and starts serving. */
  public synchronized ReloadlySimulator start(int port) {
    if (server != null) {
      return this;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the Reloadly simulator to loopback", e);
    }
    workers = newWorkers();
    server.setExecutor(workers);
    server.createContext("/", new TokenEndpoint(this));
    server.start();
    return this;
  }

  private static ExecutorService newWorkers() {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, 10, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(256),
        runnable -> {
          Thread thread = new Thread(runnable, "reloadly-simulator-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        // Past the queue, make the accepting thread do the work: that slows clients down like an
        // overloaded server would instead of dropping their connections.
        new ThreadPoolExecutor.CallerRunsPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** The token endpoint, e.g. {@code http://127.0.0.1:41234/oauth/token}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port() + TokenEndpoint.PATH);
  }

  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the Reloadly simulator is not started");
    }
    return server.getAddress().getPort();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      workers.shutdownNow();
      server = null;
    }
  }

  // ---- credentials and audiences ----

  /** Accepts {@code clientSecret} for {@code clientId}, replacing any previous secret. */
  public ReloadlySimulator allowCredential(String clientId, String clientSecret) {
    credentials.put(clientId, clientSecret);
    return this;
  }

  /**
   * Accepts {@code clientSecret} for {@code clientId} besides the secret it has: both work until
   * one is rotated or revoked. Lets a test endpoint accept a rotation's new secret in advance.
   */
  public ReloadlySimulator alsoAccept(String clientId, String clientSecret) {
    extra.computeIfAbsent(clientId, id -> ConcurrentHashMap.newKeySet()).add(clientSecret);
    return this;
  }

  /** Replaces the secret of a known client: the old secret stops working at once, like in Reloadly's dashboard. */
  public ReloadlySimulator rotateCredential(String clientId, String newSecret) {
    if (credentials.replace(clientId, newSecret) == null) {
      throw new IllegalArgumentException("unknown client id; allowCredential it first");
    }
    extra.remove(clientId);
    return this;
  }

  /** Stops accepting any secret for {@code clientId}. */
  public ReloadlySimulator revokeCredential(String clientId) {
    credentials.remove(clientId);
    extra.remove(clientId);
    return this;
  }

  /** Accepts an extra audience (the real Reloadly base URLs are known already). */
  public ReloadlySimulator addAudience(String audience, Environment environment) {
    audiences.put(audience, environment);
    return this;
  }

  // ---- token lifetimes ----

  /** Issues tokens of this lifetime in every environment, e.g. 5 seconds for refresh tests. */
  public ReloadlySimulator tokenLifetime(Duration lifetime) {
    for (Environment environment : Environment.values()) {
      tokenLifetime(environment, lifetime);
    }
    return this;
  }

  public ReloadlySimulator tokenLifetime(Environment environment, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("token lifetime must be positive, got " + lifetime);
    }
    synchronized (lifetimes) {
      lifetimes.put(environment, lifetime);
    }
    return this;
  }

  /** Makes the JWT {@code exp} claim differ from {@code expires_in} by {@code shift}, to test cross-checks. */
  public ReloadlySimulator jwtExpiryShift(Duration shift) {
    this.jwtExpiryShift = shift;
    return this;
  }

  // ---- faults ----

  /** Delays every response by {@code latency}. */
  public ReloadlySimulator latency(Duration latency) {
    this.latency = latency;
    return this;
  }

  /** Answers the next {@code count} requests with 429, {@code Retry-After} and {@code X-RateLimit-*}. */
  public ReloadlySimulator rateLimitNext(int count, Duration retryAfter) {
    faults.rateLimitNext(count, retryAfter, true);
    return this;
  }

  /** Answers the next {@code count} requests with 429 carrying only {@code X-RateLimit-*}, reset after {@code resetIn}. */
  public ReloadlySimulator rateLimitNextWithoutRetryAfter(int count, Duration resetIn) {
    faults.rateLimitNext(count, resetIn, false);
    return this;
  }

  /** Allows {@code requestsPerWindow} requests per clock-aligned window and answers 429 beyond that. */
  public ReloadlySimulator rateLimit(int requestsPerWindow, Duration window) {
    faults.rateLimit(requestsPerWindow, window);
    return this;
  }

  /** Answers the next {@code count} requests with {@code status} (a 5xx). */
  public ReloadlySimulator failNext(int count, int status) {
    faults.failNext(count, status);
    return this;
  }

  /** What a garbage answer carries: each is a 200 that is not a usable token answer. */
  public enum Garbage {
    /** An HTML error page, as a proxy in front of the endpoint would send. */
    NOT_JSON,
    /** A JSON object whose fields have the wrong types (an object token, a word for expires_in). */
    WRONG_TYPES,
    /** A well-formed answer whose token is {@link #HUGE_BODY_BYTES} long. */
    HUGE,
    /** A well-formed answer whose token expires as it is issued ({@code expires_in} 0). */
    EXPIRES_AT_ONCE,
    /** A well-formed answer whose {@code expires_in} is the largest 64-bit number. */
    EXPIRY_OVERFLOW
  }

  /** The size of a {@link Garbage#HUGE} body: 8 MiB, eight times what a Secret may hold. */
  public static final int HUGE_BODY_BYTES = 8 * 1024 * 1024;

  /** Answers the next {@code count} requests with 200 and a {@code garbage} body. */
  public ReloadlySimulator garbageNext(int count, Garbage garbage) {
    faults.scriptNext(count, new FaultPlan.Garbage(garbage));
    return this;
  }

  /** Closes the connection of the next {@code count} requests without an answer. */
  public ReloadlySimulator resetNext(int count) {
    faults.scriptNext(count, new FaultPlan.Reset());
    return this;
  }

  /**
   * Answers the next {@code count} requests only after {@code delay}; longer than the client's
   * timeout, the client has given up by then.
   */
  public ReloadlySimulator stallNext(int count, Duration delay) {
    faults.scriptNext(count, new FaultPlan.Stall(delay));
    return this;
  }

  /** Drops every pending fault and the rate limit; latency stays. */
  public ReloadlySimulator clearFaults() {
    faults.clear();
    return this;
  }

  // ---- observations ----

  public long totalRequests() {
    return stats.total();
  }

  /** Requests whose body named {@code clientId}, whatever the answer was. */
  public long requestsFor(String clientId) {
    return stats.from(clientId);
  }

  public int inFlight() {
    return stats.inFlight();
  }

  /**
   * The most requests ever being served at the same time, since start or {@link #resetCounters()}.
   * A request counts from its arrival until its answer starts to be written, so a client that
   * waits for each answer before its next request is never seen overlapping itself.
   */
  public int maxInFlight() {
    return stats.maxInFlight();
  }

  /** Every token issued, oldest first. */
  public List<SimulatedToken> issuedTokens() {
    return List.copyOf(issued);
  }

  public void resetCounters() {
    stats.reset();
    issued.clear();
  }

  // ---- used by TokenEndpoint ----

  Clock clock() {
    return clock;
  }

  FaultPlan faults() {
    return faults;
  }

  SimulatorStats stats() {
    return stats;
  }

  Duration latency() {
    return latency;
  }

  Duration jwtExpiryShift() {
    return jwtExpiryShift;
  }

  Duration lifetime(Environment environment) {
    synchronized (lifetimes) {
      return lifetimes.get(environment);
    }
  }

  boolean isValid(String clientId, String clientSecret) {
    String expected = credentials.get(clientId);
    if (expected == null) {
      return false;
    }
    byte[] offered = clientSecret.getBytes(StandardCharsets.UTF_8);
    boolean valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), offered);
    for (String also : extra.getOrDefault(clientId, java.util.Set.of())) {
      valid |= MessageDigest.isEqual(also.getBytes(StandardCharsets.UTF_8), offered);
    }
    return valid;
  }

  Optional<Environment> environmentOf(String audience) {
    return Optional.ofNullable(audiences.get(audience));
  }

  void recordIssued(SimulatedToken token) {
    issued.add(token);
  }
}
