package dev.spirit.db;

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

  /** The warnings of the last statement on this connection. */
  public static List<SqlWarning> fetch(Connection connection) throws SQLException {
    List<SqlWarning> warnings = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW WARNINGS")) {
      while (rs.next()) {
        warnings.add(new SqlWarning(rs.getString(1), rs.getInt(2), rs.getString(3)));
      }
    }
    return warnings;
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
