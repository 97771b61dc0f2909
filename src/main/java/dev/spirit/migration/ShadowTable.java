package dev.spirit.migration;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.statement.ClauseKind;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates {@code _<t>_new}: a copy of the table's definition with the ALTER applied, and its AUTO_INCREMENT. */
final class ShadowTable {
  private ShadowTable() {}

  static void create(Connection c, AlterTableStatement statement, String shadow) throws SQLException {
    String schema = statement.schema();
    String source = Identifiers.quote(schema, statement.table());
    String target = Identifiers.quote(schema, shadow);
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + target);
      s.execute("CREATE TABLE " + target + " LIKE " + source);
      try {
        // COPY keeps the empty shadow from spending one of the table's limited INSTANT row versions.
        s.execute("ALTER TABLE " + target + " " + statement.alterText() + ", ALGORITHM=COPY");
      } catch (SQLException copyRefused) {
        try {
          s.execute("ALTER TABLE " + target + " " + statement.alterText());
        } catch (SQLException e) {
          s.execute("DROP TABLE IF EXISTS " + target);
          throw new SpiritException(ErrorCode.UNSUPPORTED_STATEMENT, "refusing to migrate " + source + ": the server"
              + " rejects the ALTER (" + e.getErrorCode() + " " + e.getMessage() + "); nothing was changed", e);
        }
      }
      long autoIncrement = TableInfo.autoIncrement(c, schema, statement.table());
      // Only the table option counts; "AUTO_INCREMENT" in a comment or a column definition sets no counter.
      boolean alterSetsIt = statement.clausesOf(ClauseKind.TABLE_OPTION).stream()
          .anyMatch(clause -> "AUTO_INCREMENT".equals(clause.name()));
      if (autoIncrement > 1 && !alterSetsIt) {
        s.execute("ALTER TABLE " + target + " AUTO_INCREMENT = " + autoIncrement);
      }
    }
  }

}
