package dev.reloadly.operator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves, on one port: the Prometheus metrics on {@code /metrics}, liveness on {@code /healthz}
 * (the process answers) and readiness on {@code /readyz} (the caches are filled and watching; a
 * standby replica is ready too, and says it is not leading).
 */
public final class MetricsServer implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final HttpServer server;

  private MetricsServer(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Binds the JVM's meters (memory, GC, threads, class loading, CPU, uptime) to {@code registry}.
   * Close the result on shutdown: the GC meters listen to the JVM.
   */
  public static AutoCloseable bindJvm(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return gc;
  }

  /** Serves without readiness information: /readyz answers 503 until there is some. */
  public static MetricsServer start(PrometheusMeterRegistry registry, int port) throws IOException {
    return start(registry, port, new Readiness());
  }

  public static MetricsServer start(PrometheusMeterRegistry registry, int port,
      Readiness readiness) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    // A slow scrape must not hold up a probe: a few threads, none of them the operator's.
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "metrics-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/metrics", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      send(exchange, 200, body);
    });
    server.createContext("/healthz", exchange -> send(exchange, 200, bytes("ok\n")));
    server.createContext("/readyz", exchange -> {
      Readiness.State state = readiness.state();
      send(exchange, state.ready() ? 200 : 503, bytes(state.message() + "\n"));
    });
    server.start();
    return new MetricsServer(registry, server);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    try (exchange; OutputStream out = exchange.getResponseBody()) {
      if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
      }
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, body.length);
      out.write(body);
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
      pool.shutdownNow();
    }
  }
}
