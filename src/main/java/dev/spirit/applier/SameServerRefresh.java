package dev.spirit.applier;

import dev.spirit.db.SqlWarning;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A batch refreshed on the source's own server: {@code DELETE} the keys from the new table, then
 * {@code INSERT INTO new SELECT … FROM source WHERE <keys>}, a consistent read that locks nothing. The insert is a
 * plain INSERT, so a row a new unique key refuses is reported (1062), never silently dropped or, as REPLACE would,
 * made to delete another row; every other warning means a value would change, and stops the run.
 */
final class SameServerRefresh implements KeyRefresh {
  private final TableInfo source;
  private final String delete;
  private final String insert;

  SameServerRefresh(TableInfo source, TableInfo target, ColumnMapping mapping) {
    this.source = source;
    this.delete = "DELETE FROM " + target.quotedName() + " WHERE ";
    this.insert = "INSERT INTO " + target.quotedName() + " (" + mapping.targetList() + ") SELECT "
        + mapping.sourceList() + " FROM " + source.quotedName() + " WHERE ";
  }

  @Override
  public void refresh(Connection c, String condition) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate(delete + condition);
      s.executeUpdate(insert + condition);
      for (SqlWarning w : SqlWarning.fetch(c)) {
        throw w.asDataLoss(source.quotedName());
      }
    }
  }
}
