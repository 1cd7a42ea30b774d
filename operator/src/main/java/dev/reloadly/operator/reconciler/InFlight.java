package dev.reloadly.operator.reconciler;

import java.time.Duration;

/**
 * The reconciles under way, so a stopping operator can let them finish while its caches are still
 * filled and it still holds the Lease, and start no new one meanwhile.
 */
final class InFlight {
  private int running;
  private boolean closed;

  /** False once closed: the reconcile must not start. */
  synchronized boolean enter() {
    if (closed) {
      return false;
    }
    running++;
    return true;
  }

  synchronized void exit() {
    running--;
    notifyAll();
  }

  /**
   * Lets no more reconciles start and waits up to {@code timeout} for those under way.
   *
   * @return true when none is left
   */
  synchronized boolean close(Duration timeout) throws InterruptedException {
    closed = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
