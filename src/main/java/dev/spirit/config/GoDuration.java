package dev.spirit.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Durations in Go's {@code time.ParseDuration} syntax ({@code 30s}, {@code 1h30m}, {@code 500ms},
 * {@code 1m0.5s}), so that values copied from upstream Spirit's documentation or scripts mean the same here.
 *
 * <p>A sign is accepted because Go accepts one; whether a negative value is allowed is each option's decision, and
 * that refusal names the option. Parsing failures throw {@link IllegalArgumentException} with a message that quotes
 * the text but not the option, because the parser does not know which option it serves.
 */
public final class GoDuration {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L, // micro sign, as Go accepts
          "\u03bcs", 1_000L, // Greek mu, as Go accepts
          "ms", 1_000_000L,
          "s", NANOS_PER_SECOND,
          "m", 60 * NANOS_PER_SECOND,
          "h", 3600 * NANOS_PER_SECOND);
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  public static Duration parse(String text) {
    Objects.requireNonNull(text, "text");
    String rest = text;
    boolean negative = false;
    if (!rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == '+')) {
      negative = rest.charAt(0) == '-';
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    if (rest.isEmpty()) {
      throw notADuration(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < rest.length()) {
      int numberStart = i;
      while (i < rest.length() && isNumberChar(rest.charAt(i))) {
        i++;
      }
      String number = rest.substring(numberStart, i);
      int unitStart = i;
      while (i < rest.length() && !isNumberChar(rest.charAt(i))) {
        i++;
      }
      String unit = rest.substring(unitStart, i);
      if (!isDecimal(number)) {
        throw notADuration(text);
      }
      if (unit.isEmpty()) {
        throw new IllegalArgumentException(
            "'" + text + "' has no unit; durations need one, such as " + number + "s");
      }
      Long perUnit = NANOS_PER_UNIT.get(unit);
      if (perUnit == null) {
        throw new IllegalArgumentException(
            "'" + text + "' has an unknown unit '" + unit + "'; use h, m, s, ms, us or ns");
      }
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(perUnit)));
      if (nanos.compareTo(MAX_NANOS) > 0) {
        throw new IllegalArgumentException("'" + text + "' is too long a duration");
      }
    }
    // Go truncates below one nanosecond; so do we.
    long whole = nanos.setScale(0, RoundingMode.DOWN).longValueExact();
    return Duration.ofNanos(negative ? -whole : whole);
  }

  /**
   * Go-syntax text for a duration, compact ({@code 48h}, {@code 1h30m}, {@code 1m0.5s}, {@code 500ms}); what
   * {@link #parse} reads back to the same value.
   */
  public static String format(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isZero()) {
      return "0s";
    }
    BigDecimal nanos = BigDecimal.valueOf(duration.getSeconds())
        .multiply(BigDecimal.valueOf(NANOS_PER_SECOND))
        .add(BigDecimal.valueOf(duration.getNano()));
    String sign = nanos.signum() < 0 ? "-" : "";
    nanos = nanos.abs();
    BigDecimal second = BigDecimal.valueOf(NANOS_PER_SECOND);
    if (nanos.compareTo(second) < 0) {
      return sign + subSecond(nanos);
    }
    BigDecimal[] hoursAndRest = nanos.divideAndRemainder(BigDecimal.valueOf(3600 * NANOS_PER_SECOND));
    BigDecimal[] minutesAndRest = hoursAndRest[1].divideAndRemainder(BigDecimal.valueOf(60 * NANOS_PER_SECOND));
    StringBuilder text = new StringBuilder(sign);
    if (hoursAndRest[0].signum() > 0) {
      text.append(hoursAndRest[0].toPlainString()).append('h');
    }
    if (minutesAndRest[0].signum() > 0) {
      text.append(minutesAndRest[0].toPlainString()).append('m');
    }
    if (minutesAndRest[1].signum() > 0) {
      text.append(plain(minutesAndRest[1].divide(second))).append('s');
    }
    return text.toString();
  }

  private static String subSecond(BigDecimal nanos) {
    if (nanos.compareTo(BigDecimal.valueOf(1_000)) < 0) {
      return plain(nanos) + "ns";
    }
    if (nanos.compareTo(BigDecimal.valueOf(1_000_000)) < 0) {
      return plain(nanos.divide(BigDecimal.valueOf(1_000))) + "us";
    }
    return plain(nanos.divide(BigDecimal.valueOf(1_000_000))) + "ms";
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private static boolean isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '.';
  }

  private static boolean isDecimal(String number) {
    int dot = number.indexOf('.');
    if (dot != number.lastIndexOf('.')) {
      return false;
    }
    // Go accepts "1." and ".5" but not a lone ".".
    return number.chars().anyMatch(Character::isDigit);
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration; use Go syntax such as 30s, 1h30m or 500ms");
  }
}
