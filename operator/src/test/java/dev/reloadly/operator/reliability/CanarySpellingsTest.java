package dev.reloadly.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.reliability.SecretHygiene.Channel;
import dev.reloadly.operator.reliability.SecretHygiene.Text;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The spellings find a value however it was encoded and wherever it sat in what was encoded. */
class CanarySpellingsTest {
  /** '/', '+', '=', '&', '~', a space, a non-ASCII letter: each encoding spells it its way. */
  static final String VALUE = "CANARY/spell+ing=K&v~ \u00e9x9";

  @ParameterizedTest(name = "{0} bytes before, {1} after, url-safe {2}, padded {3}")
  @CsvSource({"0,0,false,true", "1,0,false,true", "2,0,false,true", "0,1,false,true",
      "1,2,false,true", "2,2,false,false", "0,0,true,true", "1,1,true,false", "2,0,true,false",
      "3,1,true,true", "4,2,false,true", "5,0,true,false"})
  void aValueEncodedInsideLongerBytesIsFoundAtItsAlignment(int before, int after,
      boolean urlSafe, boolean padded) {
    Random random = new Random(before * 31L + after);
    byte[] value = VALUE.getBytes(StandardCharsets.UTF_8);
    byte[] whole = new byte[before + value.length + after];
    random.nextBytes(whole);
    System.arraycopy(value, 0, whole, before, value.length);
    Base64.Encoder encoder = urlSafe ? Base64.getUrlEncoder() : Base64.getEncoder();
    String encoded = (padded ? encoder : encoder.withoutPadding()).encodeToString(whole);

    String core = CanarySpellings.aligned(encoder, value, before % 3);
    assertThat(encoded).contains(core);
    // Named base64url@k, or base64@k where both alphabets spell it the same.
    assertThat(CanarySpellings.of(VALUE)).containsValue(core);
    assertThat(found(encoded)).anySatisfy(name -> assertThat(name).endsWith("@" + before % 3));
  }

  @Test
  void theWholeEncodingsAndTheUrlEncodedFormsAreSpellingsToo() {
    byte[] utf8 = VALUE.getBytes(StandardCharsets.UTF_8);
    String form = URLEncoder.encode(VALUE, StandardCharsets.UTF_8);
    assertThat(CanarySpellings.of(VALUE)).containsEntry("clear", VALUE)
        .containsEntry("base64", Base64.getEncoder().encodeToString(utf8))
        .containsEntry("base64 unpadded",
            Base64.getEncoder().withoutPadding().encodeToString(utf8))
        .containsEntry("base64url", Base64.getUrlEncoder().encodeToString(utf8))
        .containsEntry("URL-encoded", form)
        .containsEntry("URL-encoded %20", form.replace("+", "%20"))
        .containsEntry("URL-encoded lower-case hex", form.replace("%2F", "%2f")
            .replace("%2B", "%2b").replace("%3D", "%3d").replace("%26", "%26")
            .replace("%7E", "%7e").replace("%C3%A9", "%c3%a9"));
    assertThat(form).as("a space is '+' in a form").contains("+");
    assertThat(found("client_secret=" + form.replace("+", "%20") + "&x=1"))
        .contains("URL-encoded %20");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CANARY-unrelated-Qw2", "CANARY/spell+ing=K&v~ ",
      "ANARY/spell+ing=K&v~ \u00e9x9"})
  void anotherOrAShorterValueIsNotTakenForIt(String other) {
    String text = String.join(" ", CanarySpellings.of(other).values());
    assertThat(found(text)).as("spellings of %s", other).isEmpty();
  }

  @Test
  void aValueShorterThanABase64GroupStillHasItsWholeSpellings() {
    Map<String, String> spellings = CanarySpellings.of("ab");
    assertThat(spellings).containsEntry("base64", "YWI=").doesNotContainValue("");
  }

  /** The spellings of {@link #VALUE} the hygiene search finds in {@code text}. */
  private static List<String> found(String text) {
    return SecretHygiene.search(Map.of(Channel.EVENTS, List.of(new Text("test", text))),
        Map.of("value", VALUE)).findings().stream().map(SecretHygiene.Finding::spelling)
        .toList();
  }
}
