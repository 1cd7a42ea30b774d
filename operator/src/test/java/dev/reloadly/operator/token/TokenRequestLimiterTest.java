package dev.reloadly.operator.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.simulator.ReloadlySimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenRequestLimiterTest {

  private static final String AUDIENCE = "https://topups-sandbox.reloadly.com";
  private static final int CALLERS = 20;

  private ReloadlySimulator simulator;
  private ExecutorService callers;

  @BeforeEach
  void start() {
    simulator = new ReloadlySimulator().allowCredential("id", "secret").latency(Duration.ofMillis(100)).start();
    callers = Executors.newFixedThreadPool(CALLERS);
  }

  @AfterEach
  void stop() {
    callers.shutdownNow();
    simulator.close();
  }

  @Test
  void twentyConcurrentCallersNeverExceedTheCap() {
    TokenRequestLimiter limiter = new TokenRequestLimiter(4, Duration.ofSeconds(10));
    ReloadlyTokenClient client = limiter.limit(new HttpReloadlyTokenClient(simulator.url(), Clock.systemUTC()));

    List<TokenResult> results = callAllAtOnce(client);

    assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(TokenResult.Issued.class));
    assertThat(simulator.maxInFlight()).isBetween(2, 4);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void withoutTheLimiterTheSimulatorSeesMoreThanTheCap() {
    List<TokenResult> results = callAllAtOnce(new HttpReloadlyTokenClient(simulator.url(), Clock.systemUTC()));

    assertThat(results).hasSize(CALLERS);
    assertThat(simulator.maxInFlight()).isGreaterThan(4);
  }

  @Test
  void callerThatCannotGetAPermitQuicklyIsToldToRetryLater() {
    TokenRequestLimiter limiter = new TokenRequestLimiter(1, Duration.ofMillis(20));
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ReloadlyTokenClient blocking = limiter.limit((id, secret, audience) -> {
      holding.countDown();
      await(release);
      return new TokenResult.RetryLater(Duration.ZERO, "done");
    });
    CompletableFuture<TokenResult> holder = CompletableFuture.supplyAsync(
        () -> blocking.requestToken(new char[0], new char[0], AUDIENCE), callers);
    await(holding);

    TokenResult turnedAway = blocking.requestToken(new char[0], new char[0], AUDIENCE);
    release.countDown();

    assertThat(turnedAway).isInstanceOfSatisfying(TokenResult.RetryLater.class, retry -> {
      assertThat(retry.after()).isEqualTo(TokenRequestLimiter.SATURATED_RETRY_AFTER);
      assertThat(retry.cause()).contains("limit");
    });
    assertThat(holder.join()).isInstanceOf(TokenResult.RetryLater.class);
    assertThat(limiter.turnedAway()).isEqualTo(1);
  }

  @Test
  void exposesInFlightAsAGauge() {
    TokenRequestLimiter limiter = new TokenRequestLimiter();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    limiter.bindTo(registry);
    double[] seen = new double[1];
    ReloadlyTokenClient client = limiter.limit((id, secret, audience) -> {
      seen[0] = registry.get("reloadly.token.requests.inflight").gauge().value();
      return new TokenResult.Rejected("X", 401);
    });

    client.requestToken(new char[0], new char[0], AUDIENCE);

    assertThat(seen[0]).isEqualTo(1.0);
    assertThat(registry.get("reloadly.token.requests.inflight").gauge().value()).isZero();
  }

  private List<TokenResult> callAllAtOnce(ReloadlyTokenClient client) {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<TokenResult>> futures = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      futures.add(CompletableFuture.supplyAsync(() -> {
        await(go);
        return client.requestToken("id".toCharArray(), "secret".toCharArray(), AUDIENCE);
      }, callers));
    }
    go.countDown();
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
