package dev.spirit.checksum;

import dev.spirit.table.Column;
import dev.spirit.table.ColumnMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-row fingerprint both tables are summed over. Each column is cast to the type of the new table's column, on
 * both sides, so a value the server converted faithfully (INT to BIGINT, DATETIME(6) to DATETIME(3) rounding, latin1
 * to utf8mb4) hashes the same, and a value it changed does not. Where either column is nullable, NULL is marked apart
 * from the empty string, and each value whose text may hold the separator is prefixed with its length, so no value
 * can move across a column boundary unseen. Nothing more: the expression is most of a checksum's cost.
 *
 * <p>The row's hash is 64 bits of its MD5, not a CRC: chunks are compared by the XOR of their rows' hashes, and a CRC
 * is linear over XOR, so two rows of equal length changed by the same bytes at the same place would cancel out. MD5
 * has no such structure; a difference cancels only by chance (2^-64 per chunk).
 */
public final class ChecksumExpressions {
  private static final Pattern PRECISION = Pattern.compile("\\((\\d+(?:,\\d+)?)\\)");

  private ChecksumExpressions() {}

  /** The source row's 64-bit hash, an unsigned integer. */
  public static String sourceRowHash(ColumnMapping mapping) {
    return rowHash(mapping, true);
  }

  /** The new table's row's 64-bit hash, an unsigned integer. */
  public static String targetRowHash(ColumnMapping mapping) {
    return rowHash(mapping, false);
  }

  private static String rowHash(ColumnMapping mapping, boolean source) {
    List<String> parts = new ArrayList<>();
    for (ColumnMapping.Pair pair : mapping.pairs()) {
      Column column = source ? pair.source() : pair.target();
      if (pair.source().nullable() || pair.target().nullable()) {
        parts.add("ISNULL(" + column.quotedName() + ")");
      }
      String value = "IFNULL(" + comparable(pair, column.quotedName()) + ", '')";
      if (!hasSeparatorFreeText(pair)) {
        parts.add("LENGTH(" + value + ")");
      }
      parts.add(value);
    }
    return "CAST(CONV(LEFT(MD5(CONCAT_WS('#', " + String.join(", ", parts) + ")), 16), 16, 10) AS UNSIGNED)";
  }

  /**
   * Whether every comparable form of the pair is text that holds no {@code #} (a number, a temporal value, hex
   * digits), so that it needs no length prefix to keep its place among the row's values. Each row hash joins the
   * same sequence of parts for both tables, so a part left out is left out on both sides.
   */
  static boolean hasSeparatorFreeText(ColumnMapping.Pair pair) {
    if (isInstant(pair)) {
      return true;
    }
    return switch (pair.target().dataType()) {
      case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "bit", "decimal", "numeric", "float",
          "double", "real", "date", "datetime", "timestamp", "time" -> true;
      default -> false;
    };
  }

  private static boolean isInstant(ColumnMapping.Pair pair) {
    Column from = pair.source();
    Column to = pair.target();
    return from.dataType().equals("timestamp") && to.dataType().equals("timestamp")
        && from.columnType().equals(to.columnType());
  }

  /**
   * Whether both columns hold text in one character set, so that their stored bytes compare as they are: the bytes
   * of equal values are equal whatever the collation, and taking them as a binary string costs the server no
   * conversion (a third of a checksum's time on a table of text, measured: docs/benchmarks.md).
   */
  private static boolean sameTextEncoding(ColumnMapping.Pair pair) {
    Column from = pair.source();
    Column to = pair.target();
    return from.charset() != null && from.charset().equals(to.charset()) && from.isText() && to.isText();
  }

  /**
   * A TIMESTAMP kept a TIMESTAMP of the same precision is compared as the instant it stores, which no session time
   * zone can blur (a zone with daylight saving shows two instants of the autumn's repeated hour alike); text kept in
   * its character set as its bytes; every other value by its cast to the new column's type.
   */
  static String comparable(ColumnMapping.Pair pair, String expression) {
    if (isInstant(pair)) {
      return "UNIX_TIMESTAMP(" + expression + ")";
    }
    if (sameTextEncoding(pair)) {
      return "CAST(" + expression + " AS BINARY)";
    }
    return castTo(pair.target(), expression);
  }

  /** {@code expression} cast to the comparable form of {@code target}'s type. */
  static String castTo(Column target, String expression) {
    String type = target.dataType();
    return switch (type) {
      case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" ->
          "CAST(" + expression + " AS " + (target.isUnsigned() ? "UNSIGNED" : "SIGNED") + ")";
      case "bit" -> "CAST(" + expression + " AS UNSIGNED)";
      case "decimal", "numeric" -> "CAST(" + expression + " AS DECIMAL" + precision(target, "(65,30)") + ")";
      case "float" -> ieeeBits("CAST(" + expression + " AS FLOAT)");
      case "double", "real" -> ieeeBits("CAST(" + expression + " AS DOUBLE)");
      case "date" -> "CAST(" + expression + " AS DATE)";
      case "datetime", "timestamp" -> "CAST(" + expression + " AS DATETIME" + precision(target, "") + ")";
      case "time" -> "CAST(" + expression + " AS TIME" + precision(target, "") + ")";
      // BINARY(n) pads with zero bytes: cast both sides to the new width, so widening compares equal.
      case "binary" -> "CAST(" + expression + " AS BINARY" + precision(target, "") + ")";
      case "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring",
          "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection" ->
          "CAST(" + expression + " AS BINARY)";
      default -> "CAST(" + expression + " AS CHAR CHARACTER SET utf8mb4)";
    };
  }

  /**
   * The eight bytes of a floating-point value as a double: the X of a point's well-known binary (after a byte-order
   * byte and a 4-byte type). Text loses values: MariaDB prints a FLOAT with 6 digits (16777215 reads as 16777216),
   * MySQL some DOUBLE subnormals with 14, and the two servers print the same value differently. Adding {@code 0e0}
   * folds -0 into +0, which MariaDB cannot store and MySQL can: numerically equal, and equal here. A FLOAT widens to
   * a double exactly. In hex, because a binary string joined with the row's text makes MySQL convert it to the text's
   * character set when no other column is binary, and eight arbitrary bytes are not valid utf8mb4.
   */
  private static String ieeeBits(String value) {
    return "HEX(SUBSTRING(ST_AsBinary(Point(" + value + " + 0e0, 0)), 6, 8))";
  }

  private static String precision(Column column, String otherwise) {
    Matcher m = PRECISION.matcher(column.columnType());
    return m.find() ? "(" + m.group(1) + ")" : otherwise;
  }
}
