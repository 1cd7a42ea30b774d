package dev.reloadly.operator.crypto;

import java.time.Duration;
import java.util.Objects;

/**
 * A key-encryption key cannot be used for new data right now, e.g. its KMS plugin is down or
 * unhealthy. Nothing about stored values is wrong; the caller waits {@link #retryAfter} and tries
 * again. The message names the provider and what failed, never key material.
 */
public final class KekUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public KekUnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** When trying again is worth it. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
