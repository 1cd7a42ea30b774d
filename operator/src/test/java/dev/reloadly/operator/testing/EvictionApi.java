package dev.reloadly.operator.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the Eviction API that the CRUD test server lacks: an eviction is accepted (201) and
 * recorded, or refused with 429 while a PodDisruptionBudget is said to block it. The pod is not
 * deleted here: the test plays the kubelet and the ReplicaSet controller, which remove it and
 * start its replacement.
 */
public final class EvictionApi extends Dispatcher {
  private static final Pattern EVICTION =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction");
  private final Dispatcher delegate;
  private final AtomicBoolean blocked = new AtomicBoolean();
  private final List<String> evicted = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();

  public EvictionApi(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /** While true, every eviction answers 429, as a PodDisruptionBudget with no disruption left. */
  public void blockByBudget(boolean block) {
    blocked.set(block);
  }

  /** Pods whose eviction was accepted, as namespace/name, in order. */
  public List<String> evicted() {
    return List.copyOf(evicted);
  }

  public List<String> refused() {
    return List.copyOf(refused);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Matcher m = EVICTION.matcher(request.getPath());
    if (!"POST".equals(request.getMethod()) || !m.matches()) {
      return delegate.dispatch(request);
    }
    String pod = m.group(1) + "/" + m.group(2);
    if (blocked.get()) {
      refused.add(pod);
      return new MockResponse().setResponseCode(429).setBody("{\"kind\":\"Status\","
          + "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"TooManyRequests\","
          + "\"message\":\"Cannot evict pod as it would violate the pod's disruption budget.\","
          + "\"code\":429}");
    }
    evicted.add(pod);
    return new MockResponse().setResponseCode(201).setBody("{\"kind\":\"Status\","
        + "\"apiVersion\":\"v1\",\"status\":\"Success\",\"code\":201}");
  }
}
