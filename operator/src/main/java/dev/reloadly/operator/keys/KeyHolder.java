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

  /**
   * Replaces the keys with those stored now. A replica that becomes leader calls it: while it
   * followed, the previous leader may have renewed or rotated them.
   */
  public void reload(OperatorKeyStore store) {
    keys.set(store.loadOrCreate());
  }

  void set(OperatorKeys next) {
    keys.set(next);
  }
}
