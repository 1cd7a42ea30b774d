package dev.reloadly.operator.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An in-process Kubernetes API server: the Fabric8 mock server in CRUD mode (real HTTP, real
 * watches, no controllers). It counts the write requests it receives so tests can prove that an
 * idle reconcile writes nothing.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  public static final String CRD_RESOURCE = "crds/reloadlycredentials.security.reloadly.dev-v1.yml";
  /** The bearer token of {@link #newOperatorClient()}, so a test can tell the operator apart. */
  public static final String OPERATOR_TOKEN = "reloadly-operator";
  static final String RULES_REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private final KubernetesMockServer server;
  private final RecordingDispatcher dispatcher;

  private EmbeddedApiServer(KubernetesMockServer server, RecordingDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
  }

  public static EmbeddedApiServer start() {
    return start(UnaryOperator.identity());
  }

  /**
   * Starts with {@code front} in front of the CRUD dispatcher: tests put an authorizer there.
   */
  public static EmbeddedApiServer start(UnaryOperator<Dispatcher> front) {
    RecordingDispatcher dispatcher = new RecordingDispatcher();
    KubernetesMockServer server = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), front.apply(dispatcher), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new EmbeddedApiServer(server, dispatcher);
  }

  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** A client that presents {@link #OPERATOR_TOKEN}, as the operator's service account would. */
  public KubernetesClient newOperatorClient() {
    return newOperatorClient("reloadly-credential-operator");
  }

  /** The same, naming itself in User-Agent, so a test can tell replicas apart. */
  public KubernetesClient newOperatorClient(String userAgent) {
    return server.createClient(b -> b.editOrNewConfig().withOauthToken(OPERATOR_TOKEN)
        .withUserAgent(userAgent).endConfig());
  }

  /** Creates the committed CRD (packaged into the jar from crds/) on this server. */
  public void installCrd(KubernetesClient client) {
    try (InputStream in = resource(CRD_RESOURCE)) {
      for (HasMetadata item : client.load(in).items()) {
        client.resource(item).create();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every write request (create, update, patch, delete) received so far, as "METHOD path". */
  public List<String> writes() {
    synchronized (dispatcher.writes) {
      return new ArrayList<>(dispatcher.writes);
    }
  }

  /**
   * Every GET (reads, lists and watches) received so far, as "GET path Accept: header", so tests
   * can count reads and see what representation was asked for.
   */
  public List<String> reads() {
    synchronized (dispatcher.reads) {
      return new ArrayList<>(dispatcher.reads);
    }
  }

  /** Write requests received so far whose path contains {@code fragment}. */
  public long writesTo(String fragment) {
    return writes().stream().filter(w -> w.contains(fragment)).count();
  }

  static InputStream resource(String name) {
    InputStream in = EmbeddedApiServer.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is not on the classpath; was the jar built by Maven?");
    }
    return in;
  }

  @Override
  public void close() {
    server.destroy();
  }

  /** The CRUD dispatcher, recording writes and reads. */
  private static final class RecordingDispatcher extends KubernetesCrudDispatcher {
    private final List<String> writes = new ArrayList<>();
    private final List<String> reads = new ArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if ("GET".equals(request.getMethod())) {
        synchronized (reads) {
          reads.add("GET " + request.getPath() + " Accept: " + request.getHeader("Accept"));
        }
      }
      // This server authorizes everything, and says so when JOSDK's leader election asks what it
      // may do (the CRUD store would echo the review back without a status).
      if ("POST".equals(request.getMethod()) && request.getPath().startsWith(RULES_REVIEW_PATH)) {
        return new MockResponse().setResponseCode(201).setBody("{\"apiVersion\":"
            + "\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"spec\":{},"
            + "\"status\":{\"incomplete\":false,\"nonResourceRules\":[],\"resourceRules\":"
            + "[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}]}}");
      }
      return super.dispatch(request);
    }

    private void record(RecordedRequest request) {
      synchronized (writes) {
        writes.add(request.getMethod() + " " + request.getPath());
      }
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
      record(request);
      return super.handleCreate(request);
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
      record(request);
      return super.handleUpdate(request);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      record(request);
      return super.handlePatch(request);
    }

    @Override
    public MockResponse handleDelete(String path) {
      synchronized (writes) {
        writes.add("DELETE " + path);
      }
      return super.handleDelete(path);
    }
  }
}
