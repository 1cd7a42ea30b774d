package dev.reloadly.operator.token;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body of at most a given size. A token answer is about a kilobyte; an
 * unbounded read would let a broken or hostile endpoint fill the heap, and a token of megabytes
 * would be written into a Secret that a real API server refuses past 1 MiB.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** The body was longer than the bound; it was not read to the end. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    /** The answer's HTTP status: a rejection stays a rejection, however long its body. */
    final int status;

    TooLarge(int limit, int status) {
      super("token response larger than " + limit + " bytes");
      this.status = status;
    }
  }

  private final int limit;
  private final int status;
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private byte[] buffer = new byte[1024];
  private int size;
  private Flow.Subscription subscription;

  private BoundedBody(int limit, int status) {
    this.limit = limit;
    this.status = status;
  }

  static HttpResponse.BodyHandler<byte[]> handler(int limit) {
    return info -> new BoundedBody(limit, info.statusCode());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      if (item.remaining() > limit - size) {
        wipe();
        // Cancelling closes the connection: the rest of the body is never read.
        subscription.cancel();
        body.completeExceptionally(new TooLarge(limit, status));
        return;
      }
      if (size + item.remaining() > buffer.length) {
        byte[] larger = Arrays.copyOf(buffer, Math.min(limit, Math.max(buffer.length * 2,
            size + item.remaining())));
        Arrays.fill(buffer, (byte) 0);
        buffer = larger;
      }
      int n = item.remaining();
      item.get(buffer, size, n);
      size += n;
    }
  }

  @Override
  public void onError(Throwable throwable) {
    wipe();
    body.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    byte[] exact = Arrays.copyOf(buffer, size);
    wipe();
    body.complete(exact);
  }

  private void wipe() {
    Arrays.fill(buffer, (byte) 0);
    size = 0;
  }
}
