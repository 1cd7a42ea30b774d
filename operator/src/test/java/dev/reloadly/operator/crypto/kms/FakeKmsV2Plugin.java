package dev.reloadly.operator.crypto.kms;

import com.google.protobuf.ByteString;
import dev.reloadly.operator.crypto.kms.v2.DecryptRequest;
import dev.reloadly.operator.crypto.kms.v2.DecryptResponse;
import dev.reloadly.operator.crypto.kms.v2.EncryptRequest;
import dev.reloadly.operator.crypto.kms.v2.EncryptResponse;
import dev.reloadly.operator.crypto.kms.v2.KeyManagementServiceGrpc;
import dev.reloadly.operator.crypto.kms.v2.StatusRequest;
import dev.reloadly.operator.crypto.kms.v2.StatusResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A KMS v2 plugin for tests, serving the real gRPC API on a Unix socket: it encrypts with AES-GCM
 * under its own key per key id, can switch its current key id (a rotation at the KMS), go down
 * (the socket disappears) and come back, and remembers every plaintext it was asked to encrypt so
 * a test can prove those bytes are nowhere else.
 */
public final class FakeKmsV2Plugin implements AutoCloseable {
  /** An annotation the plugin returns on Encrypt and requires back on Decrypt. */
  static final String ANNOTATION = "kms.test.reloadly.dev/key-version";

  private final Path socket;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
  private final List<byte[]> plaintexts = new CopyOnWriteArrayList<>();
  private final AtomicInteger encrypts = new AtomicInteger();
  private final AtomicInteger decrypts = new AtomicInteger();
  private volatile String keyId;
  private volatile String healthz = "ok";
  private EpollEventLoopGroup boss;
  private EpollEventLoopGroup workers;
  private Server server;

  public FakeKmsV2Plugin(Path socket, String keyId) {
    this.socket = socket;
    rotateTo(keyId);
  }

  public Path socket() {
    return socket;
  }

  /** Makes {@code next} the key new data is encrypted under; older keys still decrypt. */
  public void rotateTo(String next) {
    keys.computeIfAbsent(next, id -> {
      byte[] key = new byte[32];
      random.nextBytes(key);
      return key;
    });
    keyId = next;
  }

  public String keyId() {
    return keyId;
  }

  /** What Status reports as health: "ok", or a failure text. */
  public void healthz(String value) {
    healthz = value;
  }

  public synchronized FakeKmsV2Plugin up() {
    if (server != null) {
      return this;
    }
    boss = new EpollEventLoopGroup(1);
    workers = new EpollEventLoopGroup(1);
    try {
      server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollServerDomainSocketChannel.class)
          .bossEventLoopGroup(boss)
          .workerEventLoopGroup(workers)
          .addService(new Service())
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Stops answering: the socket is gone, as when the plugin's pod is down. */
  public synchronized void down() {
    if (server == null) {
      return;
    }
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    server = null;
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every plaintext Encrypt was given: the local KEKs the operator holds. */
  public List<byte[]> plaintexts() {
    return List.copyOf(plaintexts);
  }

  public int encrypts() {
    return encrypts.get();
  }

  public int decrypts() {
    return decrypts.get();
  }

  @Override
  public void close() {
    down();
  }

  private final class Service extends KeyManagementServiceGrpc.KeyManagementServiceImplBase {
    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
      response.onNext(StatusResponse.newBuilder().setVersion("v2").setHealthz(healthz)
          .setKeyId(keyId).build());
      response.onCompleted();
    }

    @Override
    public void encrypt(EncryptRequest request, StreamObserver<EncryptResponse> response) {
      if (request.getUid().isEmpty()) {
        response.onError(Status.INVALID_ARGUMENT.withDescription("no uid").asRuntimeException());
        return;
      }
      encrypts.incrementAndGet();
      byte[] plaintext = request.getPlaintext().toByteArray();
      plaintexts.add(plaintext);
      String id = keyId;
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      byte[] sealed = gcm(Cipher.ENCRYPT_MODE, keys.get(id), nonce, id, plaintext);
      response.onNext(EncryptResponse.newBuilder()
          .setCiphertext(ByteString.copyFrom(ByteBuffer.allocate(12 + sealed.length).put(nonce)
              .put(sealed).array()))
          .setKeyId(id)
          .putAnnotations(ANNOTATION, ByteString.copyFromUtf8("v1"))
          .build());
      response.onCompleted();
    }

    @Override
    public void decrypt(DecryptRequest request, StreamObserver<DecryptResponse> response) {
      decrypts.incrementAndGet();
      byte[] key = keys.get(request.getKeyId());
      byte[] data = request.getCiphertext().toByteArray();
      if (key == null || request.getUid().isEmpty() || data.length < 28
          || !request.getAnnotationsMap().containsKey(ANNOTATION)) {
        response.onError(Status.INVALID_ARGUMENT.withDescription("cannot decrypt")
            .asRuntimeException());
        return;
      }
      byte[] nonce = java.util.Arrays.copyOf(data, 12);
      byte[] body = java.util.Arrays.copyOfRange(data, 12, data.length);
      try {
        response.onNext(DecryptResponse.newBuilder().setPlaintext(ByteString.copyFrom(
            gcm(Cipher.DECRYPT_MODE, key, nonce, request.getKeyId(), body))).build());
        response.onCompleted();
      } catch (IllegalStateException e) {
        response.onError(Status.INVALID_ARGUMENT.withDescription("authentication failed")
            .asRuntimeException());
      }
    }
  }

  private static byte[] gcm(int mode, byte[] key, byte[] nonce, String aad, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
  }
}
