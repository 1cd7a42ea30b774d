package dev.reloadly.operator.crypto;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A SecureRandom that hands out fixed byte strings in order, one per nextBytes call, so known-answer
 * tests can drive the production code through its injected randomness instead of a test seam.
 */
final class FixedRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;
    private final transient Deque<byte[]> outputs = new ArrayDeque<>();

    FixedRandom(byte[]... outputs) {
        for (byte[] output : outputs) {
            this.outputs.add(output.clone());
        }
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        byte[] next = outputs.pollFirst();
        if (next == null) {
            throw new IllegalStateException("FixedRandom ran out of outputs");
        }
        if (next.length != bytes.length) {
            throw new IllegalStateException("FixedRandom expected a request for " + next.length + " bytes, got " + bytes.length);
        }
        System.arraycopy(next, 0, bytes, 0, bytes.length);
    }
}
