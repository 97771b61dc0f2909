package dev.spirit.table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * How the server compares schema and table names, from {@code lower_case_table_names}: 0 compares them as written;
 * 1 stores them in lower case and 2 keeps the case written, and both compare without case. Names the tool reads back
 * from information_schema are the stored ones and are compared exactly; names others wrote (in a binlog statement, a
 * table map, an operator's flag) are compared by this rule.
 */
public enum NameCase {
  SENSITIVE, INSENSITIVE;

  public static NameCase of(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@lower_case_table_names")) {
      rs.next();
      return rs.getInt(1) == 0 ? SENSITIVE : INSENSITIVE;
    }
  }

  /** Whether two schema or table names name the same object on this server. */
  public boolean same(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    return fold(a).equals(fold(b));
  }

  /** The name in the form this server compares: two names are the same exactly when their folds are equal. */
  public String fold(String name) {
    return this == SENSITIVE ? name : name.toLowerCase(Locale.ROOT);
  }
}
