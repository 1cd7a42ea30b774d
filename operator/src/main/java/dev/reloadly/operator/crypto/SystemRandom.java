package dev.reloadly.operator.crypto;

import java.security.SecureRandom;

/** Owns the randomness source used when a caller does not inject one. */
final class SystemRandom {

    // new SecureRandom() is NativePRNG on Linux: /dev/urandom-backed, never blocks once the
    // kernel pool is initialised, and thread-safe. getInstanceStrong() would be /dev/random
    // (NativePRNGBlocking), which can stall an operator pod at start-up on entropy-starved
    // nodes for no security gain over a seeded urandom.
    private static final SecureRandom SHARED = new SecureRandom();

    private SystemRandom() {
    }

    static SecureRandom shared() {
        return SHARED;
    }
}
