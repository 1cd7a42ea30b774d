package dev.reloadly.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A stopping operator waits for the reconciles under way, and starts none meanwhile. */
class InFlightTest {
  private final InFlight inFlight = new InFlight();

  @Test
  void closingWaitsForTheReconcileUnderWayAndRefusesNewOnes() throws Exception {
    assertThat(inFlight.enter()).isTrue();
    AtomicBoolean closed = new AtomicBoolean();
    Thread closer = new Thread(() -> {
      try {
        closed.set(inFlight.close(Duration.ofSeconds(30)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "closer");
    closer.start();
    // In wait(): closed, and waiting for the one under way.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> closer.getState() == Thread.State.TIMED_WAITING);
    assertThat(inFlight.enter()).as("a new reconcile after closing").isFalse();

    inFlight.exit();

    closer.join(Duration.ofSeconds(10).toMillis());
    assertThat(closer.isAlive()).isFalse();
    assertThat(closed).isTrue();
  }

  @Test
  void aReconcileThatDoesNotFinishInTimeIsReported() throws InterruptedException {
    assertThat(inFlight.enter()).isTrue();
    assertThat(inFlight.close(Duration.ofMillis(50))).isFalse();
  }

  @Test
  void withNothingUnderWayClosingReturnsAtOnce() throws InterruptedException {
    assertThat(inFlight.enter()).isTrue();
    inFlight.exit();
    assertThat(inFlight.close(Duration.ofDays(1))).isTrue();
    assertThat(inFlight.enter()).isFalse();
  }
}
