package dev.reloadly.operator.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.compliance.PolicyReports;
import dev.reloadly.operator.logging.JsonLineEncoder;
import dev.reloadly.operator.logging.PlainEncoder;
import dev.reloadly.operator.logging.RedactingAppender;
import dev.reloadly.operator.logging.Redactor;
import dev.reloadly.operator.simulator.ReloadlySimulator;
import dev.reloadly.operator.simulator.SimulatedToken;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The secret hygiene check a reliability scenario runs at its end: canary values (client IDs,
 * client secrets, the tokens the simulator issued) must appear nowhere the operator leaves text,
 * in no spelling ({@link CanarySpellings}). It looks at the operator's log in both formats, as
 * written behind the redaction layer, the exceptions those log events carry (causes and suppressed
 * included), the Kubernetes Events, every credential's status, the /metrics scrapes, the
 * PolicyReports and a dump of every thread (names, locks and stack frames).
 *
 * <p>{@link #start()} begins capturing the log; {@link #close()} stops. Findings name a canary by
 * its label and never print its value, so a failure leaks nothing either.
 */
public final class SecretHygiene implements AutoCloseable {
  /** Where the operator leaves text a person or another system may read. */
  public enum Channel {
    PLAIN_LOG, JSON_LOG, EXCEPTIONS, EVENTS, CREDENTIAL_STATUS, METRICS, POLICY_REPORTS,
    THREAD_DUMP
  }

  /** A canary found: in which channel, which canary (its label), in what spelling, where. */
  public record Finding(Channel channel, String canary, String spelling, String where) {
    @Override
    public String toString() {
      return channel + ": " + canary + " (" + spelling + ") at " + where;
    }
  }

  /**
   * What a scan found.
   *
   * @param scanned per channel, how many texts (lines, objects, threads, scrapes) were read
   * @param canaries how many canary values were looked for
   */
  public record Report(Map<Channel, Integer> scanned, int canaries, List<Finding> findings) {
    public boolean clean() {
      return findings.isEmpty();
    }

    /** The channels in which at least one canary was found. */
    public Set<Channel> channels() {
      return findings.stream().map(Finding::channel)
          .collect(Collectors.toCollection(() -> java.util.EnumSet.noneOf(Channel.class)));
    }

    @Override
    public String toString() {
      return findings.size() + " occurrence(s) of " + canaries + " canaries; scanned " + scanned
          + (findings.isEmpty() ? "" : findings.stream().map(Finding::toString)
              .collect(Collectors.joining("\n  ", ":\n  ", "")));
    }
  }

  /** A text to search and where it came from (never the text itself). */
  record Text(String where, String text) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APPENDER = "SECRET-HYGIENE";

  private final Map<String, String> canaries = new LinkedHashMap<>();
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Level rootLevel = root.getLevel();
  private final ByteArrayOutputStream plain = new ByteArrayOutputStream();
  private final ByteArrayOutputStream json = new ByteArrayOutputStream();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final RedactingAppender front = new RedactingAppender(Redactor.global());

  private SecretHygiene() {
    // As LogSetup puts the console behind the redaction layer, with the operator's registry;
    // beside the console rather than instead of it, so the test's own output is unchanged.
    front.setName(APPENDER);
    front.setContext(context);
    front.addAppender(sink(new PlainEncoder(), plain));
    front.addAppender(sink(new JsonLineEncoder(), json));
    events.setContext(context);
    events.start();
    front.addAppender(events);
    front.start();
    root.addAppender(front);
  }

  /** Starts capturing the log now. */
  public static SecretHygiene start() {
    return new SecretHygiene();
  }

  /** Every logger at DEBUG until {@link #close()}, as LOG_LEVEL=DEBUG runs the operator. */
  public SecretHygiene debug() {
    root.setLevel(Level.DEBUG);
    return this;
  }

  /** A value that must appear nowhere; {@code label} names it in findings. */
  public SecretHygiene canary(String label, String value) {
    canaries.put(label, value);
    return this;
  }

  /** Every token the simulator issued so far, labelled "token #n". */
  public SecretHygiene tokensIssuedBy(ReloadlySimulator simulator) {
    List<SimulatedToken> issued = simulator.issuedTokens();
    for (int i = 0; i < issued.size(); i++) {
      canary("token #" + (i + 1), issued.get(i).accessToken());
    }
    return this;
  }

  /** The labels of the canaries looked for. */
  public Set<String> labels() {
    return Collections.unmodifiableSet(canaries.keySet());
  }

  /**
   * Reads every channel now and searches it.
   *
   * @param client a client that may read Events, credentials and PolicyReports everywhere
   * @param metrics the /metrics URLs of the operator's replicas
   */
  public Report scan(KubernetesClient client, List<URI> metrics) {
    return search(collect(client, metrics), canaries);
  }

  /** Scans and fails, naming channel, canary label, spelling and place, if anything was found. */
  public Report assertClean(KubernetesClient client, List<URI> metrics) {
    Report report = scan(client, metrics);
    if (!report.clean()) {
      throw new AssertionError("secret hygiene: " + report);
    }
    return report;
  }

  /** Every channel's texts as of now. */
  Map<Channel, List<Text>> collect(KubernetesClient client, List<URI> metrics) {
    Map<Channel, List<Text>> texts = new EnumMap<>(Channel.class);
    texts.put(Channel.PLAIN_LOG, lines("plain log", plainLog()));
    texts.put(Channel.JSON_LOG, jsonLog());
    texts.put(Channel.EXCEPTIONS, exceptions());
    texts.put(Channel.EVENTS, objects(client.v1().events().inAnyNamespace().list().getItems()));
    texts.put(Channel.CREDENTIAL_STATUS, client.resources(ReloadlyCredential.class)
        .inAnyNamespace().list().getItems().stream()
        .map(c -> new Text("status of ReloadlyCredential " + c.getMetadata().getNamespace() + "/"
            + c.getMetadata().getName(), write(c.getStatus())))
        .toList());
    texts.put(Channel.METRICS, metrics.stream().map(SecretHygiene::scrape).toList());
    texts.put(Channel.POLICY_REPORTS, policyReports(client));
    texts.put(Channel.THREAD_DUMP, threadDump());
    return texts;
  }

  /** Searches every text for every spelling of every canary. */
  static Report search(Map<Channel, List<Text>> texts, Map<String, String> canaries) {
    Map<String, Map<String, String>> spellings = new LinkedHashMap<>();
    canaries.forEach((label, value) -> spellings.put(label, CanarySpellings.of(value)));
    List<Finding> findings = new ArrayList<>();
    Map<Channel, Integer> scanned = new EnumMap<>(Channel.class);
    texts.forEach((channel, list) -> {
      scanned.put(channel, list.size());
      for (Text text : list) {
        spellings.forEach((label, forms) -> forms.forEach((spelling, form) -> {
          if (text.text() != null && text.text().contains(form)) {
            findings.add(new Finding(channel, label, spelling, text.where()));
          }
        }));
      }
    });
    return new Report(scanned, canaries.size(), findings);
  }

  /** The plain log captured so far. */
  public String plainLog() {
    return plain.toString(StandardCharsets.UTF_8);
  }

  private String jsonText() {
    return json.toString(StandardCharsets.UTF_8);
  }

  /** Each JSON line as written, and its string values as a reader of the JSON sees them. */
  private List<Text> jsonLog() {
    List<Text> texts = new ArrayList<>();
    List<String> lines = jsonText().lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String where = "JSON log line " + (i + 1);
      texts.add(new Text(where, lines.get(i)));
      try {
        List<String> values = new ArrayList<>();
        collectValues(JSON.readTree(lines.get(i)), values);
        texts.add(new Text(where + " (decoded)", String.join("\n", values)));
      } catch (IOException e) {
        texts.add(new Text(where + " (not JSON)", ""));
      }
    }
    return texts;
  }

  private static void collectValues(JsonNode node, List<String> values) {
    if (node.isTextual()) {
      values.add(node.asText());
    }
    node.forEach(child -> collectValues(child, values));
  }

  /** Class and message of every exception the log events carried, causes and suppressed too. */
  private List<Text> exceptions() {
    List<ILoggingEvent> logged;
    synchronized (events) {
      logged = new ArrayList<>(events.list);
    }
    List<Text> texts = new ArrayList<>();
    for (int i = 0; i < logged.size(); i++) {
      IThrowableProxy thrown = logged.get(i).getThrowableProxy();
      if (thrown != null) {
        StringBuilder out = new StringBuilder();
        describe(thrown, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        texts.add(new Text("exception of log event " + (i + 1), out.toString()));
      }
    }
    return texts;
  }

  private static void describe(IThrowableProxy thrown, StringBuilder out,
      Set<IThrowableProxy> seen) {
    if (thrown == null || !seen.add(thrown)) {
      return;
    }
    out.append(thrown.getClassName()).append(": ").append(thrown.getMessage()).append('\n');
    if (thrown.getStackTraceElementProxyArray() != null) {
      for (var frame : thrown.getStackTraceElementProxyArray()) {
        out.append('\t').append(frame.getSTEAsString()).append('\n');
      }
    }
    describe(thrown.getCause(), out, seen);
    if (thrown.getSuppressed() != null) {
      for (IThrowableProxy suppressed : thrown.getSuppressed()) {
        describe(suppressed, out, seen);
      }
    }
  }

  private static List<Text> objects(List<? extends HasMetadata> items) {
    return items.stream().map(o -> new Text(o.getKind() + " " + o.getMetadata().getNamespace()
        + "/" + o.getMetadata().getName(), write(o))).toList();
  }

  private static List<Text> policyReports(KubernetesClient client) {
    try {
      List<GenericKubernetesResource> reports = client.genericKubernetesResources(
          PolicyReports.CONTEXT).inAnyNamespace().list().getItems();
      return objects(reports);
    } catch (KubernetesClientException e) {
      // No PolicyReport CRD: nothing was written, and the count of 0 says so.
      return List.of();
    }
  }

  private static Text scrape(URI metrics) {
    try {
      HttpResponse<String> response = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("scrape of " + metrics + " answered "
            + response.statusCode());
      }
      return new Text("scrape of " + metrics, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scrape " + metrics, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scraping " + metrics, e);
    }
  }

  /**
   * Every live thread: name, state, the lock it waits for and its owner, the monitors and
   * synchronizers it holds, and every stack frame (ThreadInfo.toString stops at eight).
   */
  static List<Text> threadDump() {
    List<Text> texts = new ArrayList<>();
    ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
    for (int i = 0; i < threads.length; i++) {
      ThreadInfo t = threads[i];
      StringBuilder out = new StringBuilder();
      out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
      if (t.getLockName() != null) {
        out.append(" on ").append(t.getLockName());
      }
      if (t.getLockOwnerName() != null) {
        out.append(" owned by \"").append(t.getLockOwnerName()).append('"');
      }
      out.append('\n');
      for (StackTraceElement frame : t.getStackTrace()) {
        out.append("\tat ").append(frame).append('\n');
      }
      for (MonitorInfo monitor : t.getLockedMonitors()) {
        out.append("\tlocked ").append(monitor).append(" at ")
            .append(monitor.getLockedStackFrame()).append('\n');
      }
      for (LockInfo lock : t.getLockedSynchronizers()) {
        out.append("\tholds ").append(lock).append('\n');
      }
      texts.add(new Text("thread #" + (i + 1), out.toString()));
    }
    // Threads the MXBean may not list (it sees platform threads only): their names at least.
    texts.add(new Text("Thread.getAllStackTraces names", Thread.getAllStackTraces().keySet()
        .stream().map(Thread::getName).collect(Collectors.joining("\n"))));
    return texts;
  }

  private static List<Text> lines(String what, String text) {
    List<String> lines = text.lines().toList();
    List<Text> texts = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      texts.add(new Text(what + " line " + (i + 1), lines.get(i)));
    }
    return texts;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private OutputStreamAppender<ILoggingEvent> sink(Encoder<ILoggingEvent> encoder,
      ByteArrayOutputStream bytes) {
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
    sink.setContext(context);
    sink.setEncoder(encoder);
    sink.setOutputStream(bytes);
    sink.start();
    return sink;
  }

  /** A port nothing listens on now, for a replica's /metrics. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops capturing and puts the root level back. */
  @Override
  public void close() {
    root.detachAppender(front);
    front.stop();
    root.setLevel(rootLevel);
  }
}
