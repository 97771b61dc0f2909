package dev.spirit.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;

/**
 * Row-image values the binlog library would decode lossily, decoded exactly from the server's storage formats. The
 * library turns temporal values into epoch milliseconds through a calendar: a negative TIME loses its sign, a zero or
 * partial date becomes one "invalid" marker, YEAR 0000 becomes 1900. A primary key must name its row exactly, so these
 * come back as the text the server itself would print ({@code 2024-02-29 13:05:09.000120}, {@code -838:59:59.000000},
 * {@code 0000-00-00}), TIMESTAMP as microseconds since the epoch, YEAR and BIT as numbers.
 */
final class ExactCells {
  /** The library's own decoding of a cell, for the types this class leaves to it. */
  @FunctionalInterface
  interface LibraryCell {
    Serializable read(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException;
  }

  private ExactCells() {}

  /** The exact value, or the library's where its decoding is exact already. */
  static Serializable readOr(ColumnType type, int meta, int length, ByteArrayInputStream in, LibraryCell library)
      throws IOException {
    return switch (type) {
      case DATE -> date((int) littleEndian(in.read(3)));
      case DATETIME_V2 -> datetime2(meta, in);
      case TIME_V2 -> time2(meta, in);
      case TIMESTAMP_V2 -> bigEndian(in.read(4)) * 1_000_000 + fraction(meta, in);
      case TIMESTAMP -> littleEndian(in.read(4)) * 1_000_000;
      case DATETIME -> oldDatetime(littleEndian(in.read(8)));
      case TIME -> oldTime(littleEndian(in.read(3)));
      case YEAR -> {
        int v = in.read(1)[0] & 0xFF;
        yield v == 0 ? 0 : 1900 + v;
      }
      case BIT -> bigEndian(in.read((meta >> 8) + ((meta & 0xFF) + 7) / 8));
      default -> library.read(type, meta, length, in);
    };
  }

  private static String date(int v) {
    return String.format(Locale.ROOT, "%04d-%02d-%02d", v >> 9, (v >> 5) & 0x0F, v & 0x1F);
  }

  /** 5 bytes big-endian: sign, 17 bits year*13+month, 5 day, 5 hour, 6 minute, 6 second; then the fraction. */
  private static String datetime2(int meta, ByteArrayInputStream in) throws IOException {
    long packed = bigEndian(in.read(5)) - 0x80_0000_0000L;
    long yearMonth = packed >> 22;
    return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d.%06d", yearMonth / 13, yearMonth % 13,
        (packed >> 17) & 0x1F, (packed >> 12) & 0x1F, (packed >> 6) & 0x3F, packed & 0x3F, fraction(meta, in));
  }

  /**
   * 3 bytes big-endian (sign, 1 unused, 10 bits hour, 6 minute, 6 second) plus the fraction, the whole offset by a
   * constant so that it sorts; a negative value's fraction counts down from the next second.
   */
  private static String time2(int meta, ByteArrayInputStream in) throws IOException {
    long micros;
    int length = (meta + 1) / 2;
    long intpart = bigEndian(in.read(3)) - 0x80_0000L;
    switch (length) {
      case 0 -> micros = intpart << 24;
      case 1, 2 -> {
        long frac = bigEndian(in.read(length));
        if (intpart < 0 && frac != 0) {
          intpart++;
          frac -= length == 1 ? 0x100 : 0x10000;
        }
        micros = (intpart << 24) + frac * (length == 1 ? 10_000 : 100);
      }
      default -> {
        long low = bigEndian(in.read(3));
        micros = (intpart << 24) | low;
      }
    }
    boolean negative = micros < 0;
    long abs = Math.abs(micros);
    long hms = abs >> 24;
    long fraction = abs & 0xFF_FFFFL;
    return String.format(Locale.ROOT, "%s%02d:%02d:%02d.%06d", negative ? "-" : "", (hms >> 12) & 0x3FF,
        (hms >> 6) & 0x3F, hms & 0x3F, fraction);
  }

  private static String oldDatetime(long v) {
    long date = v / 1_000_000;
    long time = v % 1_000_000;
    return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d.000000", date / 10_000, date / 100 % 100,
        date % 100, time / 10_000, time / 100 % 100, time % 100);
  }

  private static String oldTime(long raw) {
    long v = (raw << 40) >> 40; // a signed 24-bit integer, HHMMSS
    long abs = Math.abs(v);
    return String.format(Locale.ROOT, "%s%02d:%02d:%02d.000000", v < 0 ? "-" : "", abs / 10_000, abs / 100 % 100,
        abs % 100);
  }

  /** The fractional seconds of a temporal value of precision {@code meta}, in microseconds. */
  private static long fraction(int meta, ByteArrayInputStream in) throws IOException {
    int length = (meta + 1) / 2;
    if (length == 0) {
      return 0;
    }
    long frac = bigEndian(in.read(length));
    return frac * (length == 1 ? 10_000 : length == 2 ? 100 : 1);
  }

  private static long bigEndian(byte[] bytes) {
    long v = 0;
    for (byte b : bytes) {
      v = (v << 8) | (b & 0xFF);
    }
    return v;
  }

  private static long littleEndian(byte[] bytes) {
    long v = 0;
    for (int i = bytes.length - 1; i >= 0; i--) {
      v = (v << 8) | (bytes[i] & 0xFF);
    }
    return v;
  }
}
