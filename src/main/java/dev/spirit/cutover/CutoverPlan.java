package dev.spirit.cutover;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.db.Database;
import dev.spirit.table.Identifiers;

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

  String quoted(String name) {
    return Identifiers.quote(schema, name);
  }
}
