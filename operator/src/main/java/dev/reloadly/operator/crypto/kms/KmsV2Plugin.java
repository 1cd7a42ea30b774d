package dev.reloadly.operator.crypto.kms;

import com.google.protobuf.ByteString;
import dev.reloadly.operator.crypto.KekUnavailableException;
import dev.reloadly.operator.crypto.kms.v2.DecryptRequest;
import dev.reloadly.operator.crypto.kms.v2.EncryptRequest;
import dev.reloadly.operator.crypto.kms.v2.EncryptResponse;
import dev.reloadly.operator.crypto.kms.v2.KeyManagementServiceGrpc;
import dev.reloadly.operator.crypto.kms.v2.StatusRequest;
import dev.reloadly.operator.crypto.kms.v2.StatusResponse;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client of one Kubernetes KMS v2 plugin on its Unix domain socket: Status, Encrypt and Decrypt,
 * each bounded by a timeout. Every failure becomes a {@link KekUnavailableException} whose message
 * names the socket and the call, never the data.
 */
public final class KmsV2Plugin implements AutoCloseable {
  /** What the plugin answers to Status. */
  public record Status(String version, String healthz, String keyId) {
    /** Healthy as the kube-apiserver reads it: "ok", a v2 API and a key id. */
    public boolean healthy() {
      return "ok".equals(healthz) && ("v2".equals(version) || "v2beta1".equals(version))
          && !keyId.isEmpty();
    }
  }

  /**
   * What Encrypt returned, all of which Decrypt needs back.
   *
   * @param keyId the KMS key the ciphertext is under
   * @param annotations the plugin's own metadata, stored in the clear
   */
  public record Ciphertext(byte[] ciphertext, String keyId, Map<String, byte[]> annotations) {
    public Ciphertext {
      ciphertext = ciphertext.clone();
      Map<String, byte[]> copy = new HashMap<>();
      annotations.forEach((k, v) -> copy.put(k, v.clone()));
      annotations = Map.copyOf(copy);
    }

    public boolean sameAs(Ciphertext other) {
      return Arrays.equals(ciphertext, other.ciphertext) && keyId.equals(other.keyId);
    }
  }

  /** The kube-apiserver's limit for a key id and a ciphertext. */
  private static final int MAX_FIELD_BYTES = 1024;

  private final Path socket;
  private final Duration timeout;
  private final EpollEventLoopGroup loop;
  private final ManagedChannel channel;
  private final KeyManagementServiceGrpc.KeyManagementServiceBlockingStub stub;

  private KmsV2Plugin(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
    ThreadFactory daemon = r -> {
      Thread t = new Thread(r, "kms-v2-plugin");
      t.setDaemon(true);
      return t;
    };
    this.loop = new EpollEventLoopGroup(1, daemon);
    this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .eventLoopGroup(loop)
        .channelType(EpollDomainSocketChannel.class)
        // A Unix socket has no host name; the plugin ignores the authority.
        .overrideAuthority("localhost")
        .usePlaintext()
        .build();
    this.stub = KeyManagementServiceGrpc.newBlockingStub(channel);
  }

  /**
   * A client of the plugin at {@code socket}. Connects lazily; call {@link #status()} to know it
   * answers.
   *
   * @throws KekUnavailableException if this platform has no epoll transport (not Linux x86_64 or
   *     aarch64)
   */
  public static KmsV2Plugin connect(Path socket, Duration timeout) {
    Objects.requireNonNull(socket, "socket");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the KMS call timeout must be positive");
    }
    if (!Epoll.isAvailable()) {
      throw new KekUnavailableException("KMS v2 plugin at " + address(socket)
          + ": Unix sockets need Linux epoll, unavailable here ("
          + Epoll.unavailabilityCause().getClass().getSimpleName() + ")", Duration.ZERO);
    }
    return new KmsV2Plugin(socket.toAbsolutePath(), timeout);
  }

  /** {@code unix:///path}, the form a kube-apiserver EncryptionConfiguration uses. */
  public String address() {
    return address(socket);
  }

  public Status status() {
    StatusResponse response = call("Status", () -> deadline().status(StatusRequest.getDefaultInstance()));
    return new Status(response.getVersion(), response.getHealthz(), response.getKeyId());
  }

  /** Encrypts {@code plaintext} (not kept) under the plugin's current key. */
  public Ciphertext encrypt(byte[] plaintext) {
    ByteString clear = ByteString.copyFrom(plaintext);
    EncryptResponse response = call("Encrypt", () -> deadline().encrypt(EncryptRequest.newBuilder()
        .setPlaintext(clear).setUid(UUID.randomUUID().toString()).build()));
    if (response.getCiphertext().isEmpty() || response.getCiphertext().size() > MAX_FIELD_BYTES
        || response.getKeyId().isEmpty() || response.getKeyId().length() > MAX_FIELD_BYTES) {
      throw new KekUnavailableException("KMS v2 plugin at " + address()
          + ": Encrypt answered an empty or oversized ciphertext or key id", Duration.ZERO);
    }
    Map<String, byte[]> annotations = new HashMap<>();
    response.getAnnotationsMap().forEach((k, v) -> annotations.put(k, v.toByteArray()));
    return new Ciphertext(response.getCiphertext().toByteArray(), response.getKeyId(), annotations);
  }

  /** The plaintext of {@code ciphertext}; the caller zeroes it. */
  public byte[] decrypt(Ciphertext ciphertext) {
    DecryptRequest.Builder request = DecryptRequest.newBuilder()
        .setCiphertext(ByteString.copyFrom(ciphertext.ciphertext()))
        .setUid(UUID.randomUUID().toString())
        .setKeyId(ciphertext.keyId());
    ciphertext.annotations().forEach((k, v) -> request.putAnnotations(k, ByteString.copyFrom(v)));
    return call("Decrypt", () -> deadline().decrypt(request.build())).getPlaintext().toByteArray();
  }

  /**
   * The stub for one call, bounded by the timeout. After a failure gRPC keeps the channel in
   * TRANSIENT_FAILURE, failing calls at once, until a reconnect succeeds after a backoff of up to
   * two minutes. A plugin that is back should be used at once: connect again now, and let this
   * call wait for the connection, within its deadline.
   */
  private KeyManagementServiceGrpc.KeyManagementServiceBlockingStub deadline() {
    KeyManagementServiceGrpc.KeyManagementServiceBlockingStub bounded =
        stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
      return bounded.withWaitForReady();
    }
    return bounded;
  }

  private <T> T call(String method, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      // The gRPC status (UNAVAILABLE, DEADLINE_EXCEEDED, ...) and its description say what failed;
      // the request is not in them.
      String description = e.getStatus().getDescription();
      throw new KekUnavailableException("KMS v2 plugin at " + address() + ": " + method
          + " failed: " + e.getStatus().getCode()
          + (description == null ? "" : " (" + oneLine(description) + ")"), Duration.ZERO);
    }
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("[\\r\\n\\t]+", " ").strip();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }

  private static String address(Path socket) {
    return "unix://" + socket.toAbsolutePath();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
