package dev.reloadly.operator.metrics;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What {@code /readyz} answers. Not ready until the operator has started and told how to check
 * itself; then ready while every cache is filled and watching. A standby replica is ready: it
 * serves nothing, but it must be able to take over, and a rolling update must not wait on the
 * Lease.
 */
public final class Readiness {
  /** A readiness answer and a one-line reason. */
  public record State(boolean ready, String message) {}

  private final AtomicReference<Supplier<State>> check =
      new AtomicReference<>(() -> new State(false, "starting"));

  public void checkWith(Supplier<State> check) {
    this.check.set(check);
  }

  public State state() {
    try {
      return check.get().get();
    } catch (RuntimeException e) {
      return new State(false, "readiness check failed: " + e.getClass().getSimpleName());
    }
  }
}
