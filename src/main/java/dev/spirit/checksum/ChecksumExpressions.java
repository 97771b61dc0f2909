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
 * to utf8mb4) hashes the same, and a value it changed does not. NULL is marked apart from the empty string.
 */
public final class ChecksumExpressions {
  private static final Pattern PRECISION = Pattern.compile("\\((\\d+(?:,\\d+)?)\\)");

  private ChecksumExpressions() {}

  /** {@code CRC32(CONCAT(...))} over the source's columns. */
  public static String sourceRowHash(ColumnMapping mapping) {
    return rowHash(mapping, true);
  }

  /** {@code CRC32(CONCAT(...))} over the new table's columns. */
  public static String targetRowHash(ColumnMapping mapping) {
    return rowHash(mapping, false);
  }

  private static String rowHash(ColumnMapping mapping, boolean source) {
    List<String> parts = new ArrayList<>();
    for (ColumnMapping.Pair pair : mapping.pairs()) {
      Column column = source ? pair.source() : pair.target();
      String cast = castTo(pair.target(), column.quotedName());
      parts.add("ISNULL(" + column.quotedName() + "), IFNULL(" + cast + ", '')");
    }
    return "CRC32(CONCAT_WS('#', " + String.join(", ", parts) + "))";
  }

  /** {@code expression} cast to the comparable form of {@code target}'s type. */
  static String castTo(Column target, String expression) {
    String type = target.dataType();
    return switch (type) {
      case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" ->
          "CAST(" + expression + " AS " + (target.isUnsigned() ? "UNSIGNED" : "SIGNED") + ")";
      case "bit" -> "CAST(" + expression + " AS UNSIGNED)";
      case "decimal", "numeric" -> "CAST(" + expression + " AS DECIMAL" + precision(target, "(65,30)") + ")";
      case "float" -> "CAST(CAST(" + expression + " AS FLOAT) AS CHAR)";
      case "double", "real" -> "CAST(CAST(" + expression + " AS DOUBLE) AS CHAR)";
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

  private static String precision(Column column, String otherwise) {
    Matcher m = PRECISION.matcher(column.columnType());
    return m.find() ? "(" + m.group(1) + ")" : otherwise;
  }
}
