package dev.spirit.db;

import com.mysql.cj.jdbc.ConnectionImpl;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One row of {@code SHOW WARNINGS}: the server's own account of what a statement did not do exactly as asked. */
public record SqlWarning(String level, int code, String message) {
  public static final int DUPLICATE_ENTRY = 1062;
  public static final int DATA_TRUNCATED = 1265;
  private static final java.util.regex.Pattern TRUNCATED_AT =
      java.util.regex.Pattern.compile("for column '([^']*)' at row (\\d+)");

  /** The code of the stand-in for warnings the server counted but did not list. */
  public static final int UNLISTED = -1;

  /**
   * The warnings of the last statement on this connection. They are counted first, from the count the server sent
   * with the statement's result (no extra round trip, and nothing a session variable can hide); only a statement
   * with warnings costs a {@code SHOW WARNINGS}. That list is capped by {@code max_error_count}, so a count above what
   * is listed adds a stand-in warning ({@link #UNLISTED}) that no caller can mistake for a harmless one.
   */
  public static List<SqlWarning> fetch(Connection connection) throws SQLException {
    List<SqlWarning> warnings = new ArrayList<>();
    int count = serverCount(connection);
    if (count == 0) {
      return warnings;
    }
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW WARNINGS")) {
      while (rs.next()) {
        warnings.add(new SqlWarning(rs.getString(1), rs.getInt(2), rs.getString(3)));
      }
    }
    if (warnings.size() < count) {
      warnings.add(new SqlWarning("Warning", UNLISTED, (count - warnings.size()) + " warning(s) the server"
          + " counted but did not list (max_error_count is " + warnings.size() + ")"));
    }
    return warnings;
  }

  /** The warning count of the last statement's OK packet, as Connector/J read it; -1 when not known. */
  private static int serverCount(Connection connection) throws SQLException {
    if (connection.isWrapperFor(ConnectionImpl.class)) {
      return connection.unwrap(ConnectionImpl.class).getSession().getProtocol().getWarningCount();
    }
    return -1;
  }

  /** Whether this is a duplicate on the primary key ("… for key 'PRIMARY'" or "… for key 't.PRIMARY'"). */
  public boolean isPrimaryKeyDuplicate() {
    return code == DUPLICATE_ENTRY && message.toUpperCase(Locale.ROOT).matches(".*FOR KEY '([^']*\\.)?PRIMARY'.*");
  }

  /** The key a duplicate-entry warning names, without the table prefix MySQL 8 adds. */
  public String duplicateKeyName() {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("for key '(?:[^'.]*\\.)?([^']*)'").matcher(message);
    return m.find() ? m.group(1) : "?";
  }

  /** The column and 1-based row a "Data truncated for column 'c' at row n" warning names; null for any other. */
  public Truncation truncation() {
    if (code != DATA_TRUNCATED) {
      return null;
    }
    java.util.regex.Matcher m = TRUNCATED_AT.matcher(message);
    return m.find() ? new Truncation(m.group(1), Integer.parseInt(m.group(2))) : null;
  }

  /** Where a value was truncated: the column's name and the statement's row, counted from 1. */
  public record Truncation(String column, int row) {}

  /**
   * This warning as the reason a migration of {@code table} stops: the new definition cannot hold a row as it is.
   */
  public SpiritException asDataLoss(String quotedTable) {
    return new SpiritException(ErrorCode.DATA_LOSS_PREVENTED, "copying "
        + quotedTable + " into its new definition would change data (" + this + "); the migration stopped and "
        + quotedTable + " is unchanged. Fix the rows that do not fit, or change the ALTER so they fit.");
  }

  @Override
  public String toString() {
    return level + " " + code + ": " + message;
  }
}
