package dev.spirit.table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A table's definition as the server prints it ({@code SHOW CREATE TABLE}), without the one part that changes while
 * nobody alters the table: the next AUTO_INCREMENT value. Two readings are equal exactly when no column, index,
 * option or partition changed in between, whether or not the change was written to the binlog.
 */
public final class TableDefinition {
  private static final Pattern AUTO_INCREMENT = Pattern.compile(" AUTO_INCREMENT=\\d+");

  private TableDefinition() {}

  public static String read(Connection c, String schema, String table) throws SQLException {
    return normalize(readAsPrinted(c, schema, table));
  }

  /** {@code SHOW CREATE TABLE} as the server prints it, AUTO_INCREMENT counter included. */
  public static String readAsPrinted(Connection c, String schema, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + Identifiers.quote(schema, table))) {
      if (!rs.next()) {
        throw new SQLException("SHOW CREATE TABLE " + Identifiers.quote(schema, table) + " returned nothing");
      }
      return rs.getString(2);
    }
  }

  public static String normalize(String createTable) {
    return AUTO_INCREMENT.matcher(createTable).replaceFirst("");
  }
}
