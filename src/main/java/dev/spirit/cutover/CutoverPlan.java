package dev.spirit.cutover;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.db.Database;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;

/**
 * What a cutover swaps: {@code table} becomes {@code oldName}, {@code newTable} becomes {@code table}, all in one
 * schema, after {@code drain} has made them equal under the lock.
 *
 * @param afterRenameIssued fault-injection point for tests: called with the lock-holding session's connection id
 *     once the rename has been issued and nothing but releasing the lock remains; a no-op in production
 */
public record CutoverPlan(Database database, String schema, String table, String newTable, String oldName,
    ChangeDrain drain, BinlogSubscription binlog, java.util.function.LongConsumer afterRenameIssued) {

  public CutoverPlan(Database database, String schema, String table, String newTable, String oldName,
      ChangeDrain drain, BinlogSubscription binlog) {
    this(database, schema, table, newTable, oldName, drain, binlog, id -> { });
  }

  /**
   * The last step before the rename, with writers locked out: the last changes are applied, and the new table's
   * AUTO_INCREMENT is raised to the source's, so ids handed out (even to rows deleted since) are never handed out
   * again after the swap.
   *
   * @param c a connection that may write the new table and read the source while the source is locked
   * @return how many changed keys were refreshed
   */
  int finishUnderLock(java.sql.Connection c) throws java.sql.SQLException, InterruptedException {
    int refreshed = drain.drainUnderLock(c);
    long next = TableInfo.autoIncrement(c, schema, table);
    if (next > 1 && next > TableInfo.autoIncrement(c, schema, newTable)) {
      String alter = "ALTER TABLE " + quoted(newTable) + " AUTO_INCREMENT = " + next;
      binlog.expectOwnStatement(alter);
      try (java.sql.Statement s = c.createStatement()) {
        s.execute(alter);
      }
    }
    return refreshed;
  }

  String quoted(String name) {
    return Identifiers.quote(schema, name);
  }
}
