package dev.reloadly.operator.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The made-up credential every benchmark works on: the sizes, not the values, matter. */
final class BenchValues {

    static final String NAMESPACE = "payments";
    static final String NAME = "reloadly-prod";
    static final String UID = "0d9c3c7e-1111-4a4a-9b9b-0123456789ab";
    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    /** A 32-character client id and a 49-character secret: the 32-64 byte values sealed in practice. */
    static final String CLIENT_ID = "Xq3LbT9mZk2VwR7pN4sD8fH1jG6cY5aE";
    static final String CLIENT_SECRET = "sk-live-Wm4Rt8Yp2Qz6Nv1Kx9Lc3Hb7Gd5Fs0Aj-TuEoIiPr";
    static final String NEXT_CLIENT_SECRET = "sk-live-Bn5Vc9Xz3Ma7Sd1Fg6Hj2Kl8Qw4Er0Ty-UiOpAsDf";

    private BenchValues() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
