package dev.spirit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "1h30m, PT1H30M",
    "500ms, PT0.5S",
    "2h, PT2H",
    "1m0.5s, PT1M0.5S",
    "0, PT0S",
    "0s, PT0S",
    "1.5h, PT1H30M",
    ".5s, PT0.5S",
    "1.s, PT1S",
    "100ns, PT0.0000001S",
    "7us, PT0.000007S",
    "+5s, PT5S",
    "-5s, PT-5S",
    "1h2m3s4ms5us6ns, PT1H2M3.004005006S",
    "168h, PT168H",
  })
  void parsesGoSyntax(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @Test
  void acceptsBothMicroSigns() {
    assertThat(GoDuration.parse("3\u00b5s")).isEqualTo(Duration.ofNanos(3_000));
    assertThat(GoDuration.parse("3\u03bcs")).isEqualTo(Duration.ofNanos(3_000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-", "+", ".s", "s", "1..5s", "1h 30m", " 30s", "1.2.3s", "h1"})
  void rejectsGarbage(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void explainsAMissingUnit() {
    assertThatThrownBy(() -> GoDuration.parse("30"))
        .hasMessage("'30' has no unit; durations need one, such as 30s");
  }

  @Test
  void explainsAnUnknownUnit() {
    assertThatThrownBy(() -> GoDuration.parse("5d"))
        .hasMessage("'5d' has an unknown unit 'd'; use h, m, s, ms, us or ns");
  }

  @Test
  void explainsGarbage() {
    assertThatThrownBy(() -> GoDuration.parse("abc"))
        .hasMessage("'abc' is not a duration; use Go syntax such as 30s, 1h30m or 500ms");
  }

  @Test
  void rejectsDurationsLongerThanGoCanHold() {
    assertThatThrownBy(() -> GoDuration.parse("2562048h")).hasMessageContaining("too long");
    assertThat(GoDuration.parse("2562047h")).isEqualTo(Duration.ofHours(2562047));
  }

  @ParameterizedTest
  @CsvSource({
    "PT0S, 0s",
    "PT30S, 30s",
    "PT48H, 48h",
    "PT1H30M, 1h30m",
    "PT1H0M30S, 1h30s",
    "PT1M0.5S, 1m0.5s",
    "PT0.5S, 500ms",
    "PT0.0015S, 1.5ms",
    "PT0.000002S, 2us",
    "PT0.000000003S, 3ns",
    "PT-5S, -5s",
  })
  void formatsCompactly(Duration duration, String expected) {
    assertThat(GoDuration.format(duration)).isEqualTo(expected);
    assertThat(GoDuration.parse(expected)).isEqualTo(duration);
  }
}
