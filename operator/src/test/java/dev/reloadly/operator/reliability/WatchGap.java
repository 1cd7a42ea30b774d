package dev.reloadly.operator.reliability;

import dev.reloadly.operator.demo.EmbeddedApiServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the operator's watches of one resource down while open, as a network blip or an API
 * server restart does: the live ones are closed, and each new one is accepted and closed at
 * once, carrying no event. Once closed, the next watch is the CRUD dispatcher's again.
 */
final class WatchGap {
  private final String resource;
  private final Set<WebSocket> live = ConcurrentHashMap.newKeySet();
  private volatile boolean open;

  /** @param resource a path fragment, e.g. "/deployments" */
  WatchGap(String resource) {
    this.resource = resource;
  }

  Dispatcher in(Dispatcher crud) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (!isOperatorWatch(request)) {
          return crud.dispatch(request);
        }
        if (open) {
          return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
              webSocket.close(1001, "watch gap");
            }
          });
        }
        MockResponse watch = crud.dispatch(request);
        return watch.getWebSocketListener() == null ? watch
            : watch.withWebSocketUpgrade(new ForwardingListener(watch.getWebSocketListener()) {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                live.add(webSocket);
                super.onOpen(webSocket, response);
              }

              @Override
              public void onClosed(WebSocket webSocket, int code, String reason) {
                live.remove(webSocket);
                super.onClosed(webSocket, code, reason);
              }
            });
      }

      @Override
      public void shutdown() {
        crud.shutdown();
      }
    };
  }

  /** Watches of the resource open now. */
  int live() {
    return live.size();
  }

  /** Starts the gap: closes the live watches, and every new one until {@link #close()}. */
  void open() {
    open = true;
    live.forEach(webSocket -> webSocket.close(1001, "watch gap"));
  }

  void close() {
    open = false;
  }

  private boolean isOperatorWatch(RecordedRequest request) {
    return ("Bearer " + EmbeddedApiServer.OPERATOR_TOKEN).equals(request.getHeader("Authorization"))
        && "GET".equals(request.getMethod()) && request.getPath().contains("watch=true")
        && request.getPath().contains(resource);
  }
}
