package dev.reloadly.operator.reliability;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Put in front of the test API server: records every write request with when it arrived, who sent
 * it (the client's User-Agent, which is a replica's leader identity) and how it was answered. A
 * write to the Lease also keeps what it wrote, so a test can follow who held it and when.
 */
final class WriteRecorder implements UnaryOperator<Dispatcher> {
  /** The Lease path fragment; JOSDK's question "may I use Leases?" is a POST that writes nothing. */
  static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/";
  private static final String RULES_REVIEW = "selfsubjectrulesreviews";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * One write request.
   *
   * @param at when it arrived, by the clock the replicas write into the Lease
   * @param lease what a successful Lease write wrote, else null
   */
  record Write(Instant at, String agent, String method, String path, int code, Lease lease) {
    boolean succeeded() {
      return code >= 200 && code < 300;
    }

    boolean toLease() {
      return path.startsWith(LEASES) && path.contains("/leases");
    }
  }

  private final List<Write> writes = new ArrayList<>();

  @Override
  public Dispatcher apply(Dispatcher next) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        Instant arrived = Instant.now();
        boolean write = !"GET".equals(request.getMethod())
            && !request.getPath().contains(RULES_REVIEW);
        // Read without consuming: the CRUD dispatcher reads the body after us.
        String body = write && request.getPath().contains("/leases") && request.getBody() != null
            ? new String(request.getBody().getBytes(), StandardCharsets.UTF_8) : null;
        MockResponse response = next.dispatch(request);
        if (write) {
          int code = response.code();
          Lease lease = body != null && code >= 200 && code < 300 && !body.isBlank()
              && !"DELETE".equals(request.getMethod())
              ? SERIALIZATION.unmarshal(body, Lease.class) : null;
          synchronized (writes) {
            writes.add(new Write(arrived, String.valueOf(request.getHeader("User-Agent")),
                request.getMethod(), request.getPath(), code, lease));
          }
        }
        return response;
      }
    };
  }

  /** Every write so far, in the order they arrived. */
  List<Write> writes() {
    synchronized (writes) {
      return new ArrayList<>(writes);
    }
  }

  /** Successful writes by {@code agent}. */
  List<Write> by(String agent) {
    return writes().stream().filter(w -> w.agent().equals(agent) && w.succeeded()).toList();
  }

  /** Successful Lease writes in which {@code agent} wrote itself the holder. */
  List<Write> leaseWritesHeldBy(String agent) {
    return writes().stream().filter(w -> w.lease() != null && w.lease().getSpec() != null
        && agent.equals(w.lease().getSpec().getHolderIdentity())).toList();
  }
}
