package dev.spirit.cutover;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.db.Database;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableDefinition;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * What a cutover swaps: {@code table} becomes {@code oldName}, {@code newTable} becomes {@code table}, all in one
 * schema, after {@code drain} has made them equal under the lock.
 *
 * @param definitions each table's definition as the run read it when it started ({@link TableDefinition}); under the
 *     lock each must still be the same, or a change that never reached the binlog would be swapped away
 * @param afterRenameIssued fault-injection point for tests: called with the lock-holding session's connection id
 *     once the rename has been issued and nothing but releasing the lock remains; a no-op in production
 */
public record CutoverPlan(Database database, String schema, String table, String newTable, String oldName,
    ChangeDrain drain, BinlogSubscription binlog, Map<String, String> definitions, LongConsumer afterRenameIssued) {

  public CutoverPlan {
    definitions = Map.copyOf(definitions);
  }

  public CutoverPlan(Database database, String schema, String table, String newTable, String oldName,
      ChangeDrain drain, BinlogSubscription binlog, Map<String, String> definitions) {
    this(database, schema, table, newTable, oldName, drain, binlog, definitions, id -> { });
  }

  /**
   * The last step before the rename, with writers locked out: the definitions are checked, the last changes are
   * applied, and the new table's AUTO_INCREMENT is raised to the source's, so ids handed out (even to rows deleted
   * since) are never handed out again after the swap.
   *
   * @param c a connection that may write the new table and read the source while the source is locked
   * @return how many changed keys were refreshed
   */
  int finishUnderLock(Connection c) throws SQLException, InterruptedException {
    verifyDefinitions(c);
    int refreshed = drain.drainUnderLock(c);
    long next = TableInfo.autoIncrement(c, schema, table);
    if (next > 1 && next > TableInfo.autoIncrement(c, schema, newTable)) {
      String alter = "ALTER TABLE " + quoted(newTable) + " AUTO_INCREMENT = " + next;
      binlog.expectOwnStatement(alter);
      try (Statement s = c.createStatement()) {
        s.execute(alter);
      }
    }
    return refreshed;
  }

  private void verifyDefinitions(Connection c) throws SQLException {
    for (Map.Entry<String, String> e : definitions.entrySet()) {
      String now = TableDefinition.read(c, schema, e.getKey());
      if (!now.equals(e.getValue())) {
        throw new SpiritException(ErrorCode.SCHEMA_CHANGED, "the definition of " + quoted(e.getKey())
            + " changed while the run was going on, by a statement that never reached the binlog (sql_log_bin=0);"
            + " swapping now would undo it. Nothing was renamed and " + quoted(table) + " is as that statement left"
            + " it. Run the migration again. Was: " + e.getValue() + "; now: " + now);
      }
    }
  }

  String quoted(String name) {
    return Identifiers.quote(schema, name);
  }
}
