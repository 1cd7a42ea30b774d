package dev.reloadly.operator.keys;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Store Secrets as an operator sees them that stops after a number of writes: every write after
 * that fails, as if the process had gone, so a pass is left half done.
 */
final class StopsAfterWrites implements StoreSecrets {
  private final StoreSecrets delegate;
  private final AtomicInteger writesLeft;

  StopsAfterWrites(StoreSecrets delegate, int writes) {
    this.delegate = delegate;
    this.writesLeft = new AtomicInteger(writes);
  }

  @Override
  public Listing list() {
    return delegate.list();
  }

  @Override
  public void update(Secret secret) {
    if (writesLeft.getAndDecrement() <= 0) {
      throw new KubernetesClientException("the operator stopped");
    }
    delegate.update(secret);
  }
}
