package dev.spirit.cutover;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.db.Database;
import dev.spirit.table.Identifiers;

/**
 * What a cutover swaps: {@code table} becomes {@code oldName}, {@code newTable} becomes {@code table}, all in one
 * schema, after {@code drain} has made them equal under the lock.
 */
public record CutoverPlan(Database database, String schema, String table, String newTable, String oldName,
    ChangeDrain drain, BinlogSubscription binlog) {

  String quoted(String name) {
    return Identifiers.quote(schema, name);
  }
}
