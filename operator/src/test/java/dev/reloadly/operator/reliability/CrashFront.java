package dev.reloadly.operator.reliability;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sits in front of the CRUD dispatcher. It serves one request at a time, so that after each
 * accepted write it can read the state that write left, unchanged by any other, and hand it to the
 * {@link WriteInvariants}. It numbers the writes of operator processes (clients whose User-Agent
 * starts with {@value #OPERATOR_AGENT}) and, when one makes the write of an armed
 * {@link CrashPoint}, kills that process: the write is applied and answered, and every later
 * request of that User-Agent is refused, as if the process had died right after.
 */
final class CrashFront extends Dispatcher {
  static final String OPERATOR_AGENT = "op-";
  private static final String RULES_REVIEW = "selfsubjectrulesreviews";

  /** An operator write in the order the server accepted it, with what it did. */
  record OperatorWrite(int index, String agent, String method, String path, String step) {}

  private final KubernetesCrudDispatcher crud;
  private final ClusterSnapshot.Names names;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<String> killed = ConcurrentHashMap.newKeySet();
  private final List<OperatorWrite> writes = new ArrayList<>();
  private final Map<String, Integer> seen = new HashMap<>();
  private WriteInvariants invariants;
  private boolean recording;
  private CrashPoint armed;
  private volatile OperatorWrite crashedAt;

  CrashFront(Dispatcher crud, ClusterSnapshot.Names names) {
    if (!(crud instanceof KubernetesCrudDispatcher kubernetes)) {
      throw new IllegalArgumentException("needs the CRUD dispatcher, got " + crud.getClass());
    }
    this.crud = kubernetes;
    this.names = names;
  }

  /** Checks every accepted write from now on, starting from the state as it is now. */
  void check(WriteInvariants invariants) {
    lock.lock();
    try {
      invariants.baseline(snapshot());
      this.invariants = invariants;
    } finally {
      lock.unlock();
    }
  }

  /** Numbers operator writes from now on; the first one recorded is #1. */
  void record() {
    lock.lock();
    try {
      recording = true;
      writes.clear();
      seen.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Kills the operator process that makes the write of {@code point}. */
  void arm(CrashPoint point) {
    lock.lock();
    try {
      armed = point;
    } finally {
      lock.unlock();
    }
  }

  /** The write after which an operator process was killed, or null. */
  OperatorWrite crashedAt() {
    return crashedAt;
  }

  boolean refuses(String agent) {
    return killed.contains(agent);
  }

  List<OperatorWrite> operatorWrites() {
    lock.lock();
    try {
      return List.copyOf(writes);
    } finally {
      lock.unlock();
    }
  }

  ClusterSnapshot snapshot() {
    lock.lock();
    try {
      return ClusterSnapshot.read(names, this::get);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String agent = String.valueOf(request.getHeader("User-Agent"));
    lock.lock();
    try {
      if (killed.contains(agent)) {
        return new MockResponse().setResponseCode(503).setBody("{\"kind\":\"Status\","
            + "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"ServiceUnavailable\","
            + "\"message\":\"this client's process was killed by the test\",\"code\":503}");
      }
      // Read without consuming: the CRUD dispatcher reads the body after us.
      String body = request.getBody() == null ? null
          : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
      MockResponse response = crud.dispatch(request);
      if (isWrite(request) && response.code() >= 200 && response.code() < 300
          && invariants != null) {
        String step = invariants.afterWrite(new WriteInvariants.Write(agent, request.getMethod(),
            request.getPath(), body), ClusterSnapshot.read(names, this::get));
        if (recording && agent.startsWith(OPERATOR_AGENT)) {
          OperatorWrite write = new OperatorWrite(writes.size() + 1, agent, request.getMethod(),
              request.getPath(), step);
          writes.add(write);
          int occurrence = seen.merge(step, 1, Integer::sum);
          if (armed != null && crashedAt == null && armed.matches(step, occurrence)) {
            killed.add(agent);
            crashedAt = write;
          }
        }
      }
      return response;
    } finally {
      lock.unlock();
    }
  }

  /** The object at {@code path} as JSON, straight from the CRUD store; null when absent. */
  private String get(String path) {
    MockResponse response = crud.handleGet(path);
    return response.code() == 200 && response.getBody() != null
        ? new String(response.getBody().getBytes(), StandardCharsets.UTF_8) : null;
  }

  private static boolean isWrite(RecordedRequest request) {
    String method = request.getMethod();
    return !"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method)
        && !request.getPath().contains(RULES_REVIEW);
  }
}
