package dev.spirit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

  @ParameterizedTest
  @CsvSource({
    "16777216, 16777216",
    "0, 0",
    "16MiB, 16777216",
    "16 MiB, 16777216",
    "16mib, 16777216",
    "1KiB, 1024",
    "1KB, 1000",
    "2MB, 2000000",
    "1GiB, 1073741824",
    "3GB, 3000000000",
  })
  void parses(String text, long bytes) {
    assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "1.5MiB", "MiB", "16  MiB", " 16", "16MiB ", "0x10", "1e6"})
  void rejectsWhatIsNotAWholeNumberWithAUnit(String text) {
    assertThatThrownBy(() -> ByteSize.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a byte size");
  }

  @Test
  void namesAnUnknownUnit() {
    assertThatThrownBy(() -> ByteSize.parse("16TB"))
        .hasMessage("'16TB' has an unknown unit 'TB'; use KiB, MiB, GiB, KB, MB or GB");
  }

  @Test
  void rejectsSizesThatOverflow() {
    assertThatThrownBy(() -> ByteSize.parse("9223372036854775807GiB")).hasMessageContaining("too large");
    assertThatThrownBy(() -> ByteSize.parse("99999999999999999999")).hasMessageContaining("too large");
  }

  @Test
  void printsInTheLargestExactBinaryUnit() {
    assertThat(ByteSize.parse("16777216")).hasToString("16MiB");
    assertThat(ByteSize.parse("1GiB")).hasToString("1GiB");
    assertThat(ByteSize.parse("1536")).hasToString("1536");
    assertThat(ByteSize.parse("2KiB")).hasToString("2KiB");
    assertThat(ByteSize.parse("1000")).hasToString("1000");
    assertThat(new ByteSize(0)).hasToString("0");
  }
}
