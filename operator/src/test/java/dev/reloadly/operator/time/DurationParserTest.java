package dev.reloadly.operator.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {

  @ParameterizedTest
  @CsvSource({
    "2160h, PT2160H",
    "1h30m, PT1H30M",
    "90s, PT90S",
    "500ms, PT0.5S",
    "90d, PT2160H",
    "14d, PT336H",
    "1d12h, PT36H",
    "1.5h, PT1H30M",
    "250us, PT0.00025S",
    "10ns, PT0.00000001S",
    "0, PT0S",
    "' 10m ', PT10M",
    "2H, PT2H"
  })
  void acceptsGoStyleDurationsAndDays(String text, String expected) {
    assertThat(DurationParser.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "90", "h", "1h30", "-1h", "+1h", "1y", "1w", "abc", "1 h", "1h 30m", "PT1H", ".5h", "1.h",
      "99999999999999999d"})
  void rejectsGarbageWithOneClearLine(String text) {
    assertThatThrownBy(() -> DurationParser.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid duration")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @org.junit.jupiter.api.Test
  void rejectsNull() {
    assertThatThrownBy(() -> DurationParser.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Found by fuzzing (SpecCheckTest's 100,000-character value took three minutes): the parser
   * retried the digits at every offset of the text, quadratic in its length. Without the schema's
   * maxLength a spec value can be that long.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(value = 10,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void longRunOfDigitsWithoutAUnitIsRefusedInLinearTime() {
    String digits = "9".repeat(100_000);

    assertThatThrownBy(() -> DurationParser.parse("!" + digits + "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Invalid duration");
    assertThatThrownBy(() -> DurationParser.parse("1h" + digits + "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Invalid duration");
  }
}
