package dev.reloadly.operator.compromise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DenyListTest {
  static final String FP = "hmac-sha256:0123456789abcdef0123456789abcdef";
  static final String FP2 = "hmac-sha256:ffffffffffffffffffffffffffffffff";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void entriesRoundTripAsValidSecretKeysWithoutAnySecret() {
    DenyList list = DenyList.empty()
        .with(Map.of(FP, DenyList.Entry.of(T0, "payments", "shop")));
    Map<String, String> data = list.toData();
    assertThat(data).containsOnlyKeys("hmac-sha256.0123456789abcdef0123456789abcdef");
    assertThat(data.keySet()).allMatch(k -> k.matches("[-._a-zA-Z0-9]+"));
    DenyList read = DenyList.parse(data);
    assertThat(read.contains(FP)).isTrue();
    assertThat(read.contains(FP2)).isFalse();
    assertThat(read.contains(null)).isFalse();
  }

  @Test
  void anAddedEntryNeverReplacesTheFirstReport() {
    DenyList list = DenyList.empty().with(Map.of(FP, DenyList.Entry.of(T0, "payments", "shop")))
        .with(Map.of(FP, DenyList.Entry.of(T0.plusSeconds(9), "billing", "api"),
            FP2, DenyList.Entry.of(T0, "billing", "api")));
    assertThat(list.fingerprints()).containsExactlyInAnyOrder(FP, FP2);
    assertThat(list.toData()).isEqualTo(DenyList.empty()
        .with(Map.of(FP, DenyList.Entry.of(T0, "payments", "shop")))
        .union(DenyList.empty().with(Map.of(FP2, DenyList.Entry.of(T0, "billing", "api"))))
        .toData());
  }

  @Test
  void damagedDetailStillListsAndForeignKeysAreIgnored() {
    Map<String, String> data = new HashMap<>();
    data.put("hmac-sha256.0123456789abcdef0123456789abcdef", "not base64 json!");
    data.put("notes", "aGVsbG8=");
    data.put("hmac-sha256.XYZ", "e30=");
    DenyList read = DenyList.parse(data);
    assertThat(read.fingerprints()).containsExactly(FP);
  }
}
