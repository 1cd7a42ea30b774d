package dev.reloadly.operator.keys;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Hands the current keys to reconciles; key maintenance swaps them atomically. */
public final class KeyHolder implements Supplier<OperatorKeys> {
  private final AtomicReference<OperatorKeys> keys;

  public KeyHolder(OperatorKeys initial) {
    this.keys = new AtomicReference<>(initial);
  }

  @Override
  public OperatorKeys get() {
    return keys.get();
  }

  void set(OperatorKeys next) {
    keys.set(next);
  }
}
