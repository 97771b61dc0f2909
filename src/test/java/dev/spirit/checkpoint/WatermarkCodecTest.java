package dev.spirit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatermarkCodecTest {

  private static List<Object> roundTrip(List<Object> key) {
    String json = WatermarkCodec.encode(key);
    assertThat(json.chars()).as("pure ASCII: %s", json).allMatch(c -> c >= 0x20 && c < 0x7f);
    return WatermarkCodec.decode(json);
  }

  private static void assertExact(List<Object> key) {
    List<Object> back = roundTrip(key);
    assertThat(back).hasSameSizeAs(key);
    for (int i = 0; i < key.size(); i++) {
      Object want = key.get(i);
      Object got = back.get(i);
      assertThat(got).as("type of %s", want).isExactlyInstanceOf(want.getClass());
      if (want instanceof byte[] b) {
        assertThat((byte[]) got).containsExactly(b);
      } else {
        assertThat(got).isEqualTo(want);
      }
    }
  }

  @Test
  void integersOfEveryWidthIncludingUnsignedBigint() {
    assertExact(List.of(0, Integer.MIN_VALUE, Integer.MAX_VALUE));
    assertExact(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 4294967295L));
    assertExact(List.of(new BigInteger("18446744073709551615"), new BigInteger("9223372036854775808")));
    assertExact(List.of((short) -32768, (byte) 127, true));
  }

  @Test
  void decimalsKeepTheirScale() {
    assertExact(List.of(new BigDecimal("1.50"), new BigDecimal("-0.000001"),
        new BigDecimal("123456789012345678901234567890.123456789")));
    assertThat(((BigDecimal) roundTrip(List.of(new BigDecimal("1.50"))).get(0)).scale()).isEqualTo(2);
    assertExact(List.of(0.1d, -1.0E300d));
  }

  @Test
  void stringsWithQuotesEscapesControlCharactersAndAnyUnicode() {
    assertExact(List.of("", "a\"b\\c/d", "tab\there\nnew\u0000nul\u001f", "caf\u00e9 \u4e2d\u6587 \ud83d\ude00",
        "trailing space ", "{\"type\":\"x\"}"));
  }

  @Test
  void binaryWithZeroAndHighBytes() {
    assertExact(List.of(new byte[] {0, 0, (byte) 0xff, (byte) 0x80, 1}, new byte[0]));
  }

  @Test
  void temporalValues() {
    assertExact(List.of(java.sql.Timestamp.valueOf("2024-02-29 23:59:59.123456"),
        java.sql.Date.valueOf("1000-01-01"), new java.sql.Time(45_296_789L),
        LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000), LocalDate.of(2024, 1, 1),
        LocalTime.of(838 % 24, 59, 59, 500_000_000)));
  }

  @Test
  void compositeKeysKeepTheirOrder() {
    List<Object> key = new ArrayList<>(Arrays.asList(7, "x", new BigInteger("18446744073709551615"), 3L));
    assertExact(key);
  }

  @Test
  void whatItDidNotWriteIsRefused() {
    for (String bad : List.of("", "[]", "[{\"type\":\"long\"}]", "[{\"type\":\"nope\",\"value\":\"1\"}]",
        "[{\"type\":\"long\",\"value\":\"x\"}]", "[{\"type\":\"long\",\"value\":\"1\"}] trailing", "{",
        "[{\"type\":\"string\",\"value\":\"\\q\"}]", "[{\"type\":\"bytes\",\"value\":\"zz\"}]")) {
      assertThatThrownBy(() -> WatermarkCodec.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> WatermarkCodec.decode(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WatermarkCodec.encode(List.of(new Object())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
