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

  /**
   * The last step before the rename, with writers locked out: the last changes are applied, and the new table's
   * AUTO_INCREMENT is raised to the source's, so ids handed out (even to rows deleted since) are never handed out
   * again after the swap.
   *
   * @param c a connection that may write the new table and read the source while the source is locked
   */
  void finishUnderLock(java.sql.Connection c) throws java.sql.SQLException, InterruptedException {
    drain.drainUnderLock(c);
    long next = autoIncrement(c, table);
    if (next > 1 && next > autoIncrement(c, newTable)) {
      String alter = "ALTER TABLE " + quoted(newTable) + " AUTO_INCREMENT = " + next;
      binlog.expectOwnStatement(alter);
      try (java.sql.Statement s = c.createStatement()) {
        s.execute(alter);
      }
    }
  }

  /** The table's next AUTO_INCREMENT value, read fresh (MySQL 8 otherwise caches it for a day); 0 when it has none. */
  private long autoIncrement(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("SET SESSION information_schema_stats_expiry = 0");
    } catch (java.sql.SQLException mariaDbReadsItLive) {
      // MariaDB has no such cache.
    }
    try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT AUTO_INCREMENT FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, schema);
      ps.setString(2, name);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  String quoted(String name) {
    return Identifiers.quote(schema, name);
  }
}
