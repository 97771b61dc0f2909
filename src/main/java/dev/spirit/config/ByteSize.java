package dev.spirit.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, written as a plain integer ({@code 16777216}) or with a unit: {@code KiB}, {@code MiB},
 * {@code GiB} are powers of 1024; {@code KB}, {@code MB}, {@code GB} are powers of 1000, as their standards say.
 * Units are case-insensitive and may be separated from the number by one space.
 */
public record ByteSize(long bytes) {
  private static final Pattern SYNTAX = Pattern.compile("([0-9]+) ?([A-Za-z]*)");
  private static final Map<String, Long> MULTIPLIERS =
      Map.of(
          "", 1L,
          "kib", 1L << 10,
          "mib", 1L << 20,
          "gib", 1L << 30,
          "kb", 1_000L,
          "mb", 1_000_000L,
          "gb", 1_000_000_000L);

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a byte size cannot be negative, got " + bytes);
    }
  }

  public static ByteSize parse(String text) {
    Objects.requireNonNull(text, "text");
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a byte size; use a whole number of bytes, optionally with KiB, MiB, GiB, KB, MB or GB");
    }
    Long multiplier = MULTIPLIERS.get(m.group(2).toLowerCase(Locale.ROOT));
    if (multiplier == null) {
      throw new IllegalArgumentException(
          "'" + text + "' has an unknown unit '" + m.group(2) + "'; use KiB, MiB, GiB, KB, MB or GB");
    }
    try {
      return new ByteSize(Math.multiplyExact(Long.parseLong(m.group(1)), multiplier));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a byte size", e);
    }
  }

  /** The exact size in the largest binary unit that divides it, else in plain bytes. */
  @Override
  public String toString() {
    if (bytes != 0) {
      if (bytes % (1L << 30) == 0) {
        return (bytes >> 30) + "GiB";
      }
      if (bytes % (1L << 20) == 0) {
        return (bytes >> 20) + "MiB";
      }
      if (bytes % (1L << 10) == 0) {
        return (bytes >> 10) + "KiB";
      }
    }
    return Long.toString(bytes);
  }
}
