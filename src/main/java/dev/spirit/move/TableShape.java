package dev.spirit.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table's definition in terms both flavours describe alike, for comparing a source table with its target table on
 * a server of the other flavour, whose {@code SHOW CREATE TABLE} prints the same table differently (display widths,
 * JSON as LONGTEXT, other collation names): each column's name, type, nullability, character set, collation (named as
 * the target names it) and whether it is generated or AUTO_INCREMENT, and each index's name, uniqueness and key
 * parts.
 */
final class TableShape {
  private TableShape() {}

  /**
   * The shape's lines.
   *
   * @param collations how this server's collation names read on the other server; names not in it are kept
   * @param secondaryIndexes whether plain (non-unique) secondary indexes are part of the shape
   */
  static List<String> read(Connection c, String schema, String table, Map<String, String> collations,
      boolean secondaryIndexes) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE,"
        + " CHARACTER_SET_NAME, COLLATION_NAME, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
        + " AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean json = rs.getString(2).equalsIgnoreCase("json");
          String type = json ? "longtext" : displayWidthless(rs.getString(3).toLowerCase(Locale.ROOT));
          String charset = json ? "utf8mb4" : rs.getString(5);
          String collation = json ? "utf8mb4_bin" : rs.getString(6);
          String extra = rs.getString(7).toLowerCase(Locale.ROOT);
          lines.add("column `" + rs.getString(1) + "` " + type + (rs.getString(4).equals("YES") ? " null" : " not null")
              + (charset == null ? "" : " " + charset + " " + collations.getOrDefault(collation, collation))
              + (extra.contains("virtual") ? " virtual" : "") + (extra.contains("stored")
                  || extra.contains("persistent") ? " stored" : "")
              + (extra.contains("auto_increment") ? " auto_increment" : ""));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE"
        + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
        + " ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean unique = rs.getInt(2) == 0;
          String kind = rs.getString(5);
          boolean plain = !unique && !"FULLTEXT".equals(kind) && !"SPATIAL".equals(kind);
          if (plain && !secondaryIndexes) {
            continue;
          }
          lines.add("index `" + rs.getString(1) + "` " + (unique ? "unique " : "") + "`" + rs.getString(3) + "`"
              + (rs.getString(4) == null ? "" : "(" + rs.getString(4) + ")"));
        }
      }
    }
    return lines;
  }

  /** {@code int(11)} and {@code year(4)} as {@code int} and {@code year}: MySQL 8 prints no display width. */
  static String displayWidthless(String columnType) {
    return columnType.replaceFirst("^(tinyint|smallint|mediumint|int|bigint|year)\\(\\d+\\)", "$1");
  }

  /** What differs between the source's shape and the target's, or null when nothing does. */
  static String difference(List<String> source, List<String> target) {
    List<String> differences = new ArrayList<>();
    for (String line : source) {
      if (!target.contains(line)) {
        differences.add("the source has " + line);
      }
    }
    for (String line : target) {
      if (!source.contains(line)) {
        differences.add("the target has " + line);
      }
    }
    if (differences.isEmpty() && !source.equals(target)) {
      return "the column or index order differs";
    }
    return differences.isEmpty() ? null : String.join("; ", differences);
  }
}
