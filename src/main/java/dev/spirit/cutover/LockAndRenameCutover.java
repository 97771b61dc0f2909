package dev.spirit.cutover;

import dev.spirit.db.MetadataLockBlockers;
import dev.spirit.db.TableName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL 8.0.13+, one table: one session locks the table and its new table for writing, applies the last changes,
 * renames both in one statement while still holding the lock, and unlocks. Not for several tables: one LOCK TABLES
 * of several holds some while it waits for the others, and the server resolves that deadlock by failing the
 * application's transaction ({@link CutoverStrategy#forTables}). Application statements queue on the lock and,
 * once it is released, open the table by name again, which is now the new table; none of them sees the name missing.
 */
final class LockAndRenameCutover implements CutoverStrategy {
  private static final Logger LOG = LoggerFactory.getLogger(LockAndRenameCutover.class);

  static long connectionId(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public long attempt(CutoverPlan plan, Runnable renameSent) throws SQLException, InterruptedException {
    try (Connection c = plan.database().connect(); Statement s = c.createStatement()) {
      long session = connectionId(c);
      try (MetadataLockBlockers.Watch watch = plan.database().blockers().watch(plan.swaps().stream()
          .map(w -> new TableName(plan.schema(), w.table())).toList(), plan.database().lockWaitTimeout(),
          "the cutover's lock")) {
        try {
          s.execute("LOCK TABLES " + plan.swaps().stream().map(w -> plan.quoted(w.table()) + " WRITE"
              + (w.retires() ? "" : ", " + plan.quoted(w.newTable()) + " WRITE")).collect(Collectors.joining(", ")));
        } catch (SQLException e) {
          throw watch.explain(e);
        }
      }
      LockHold hold = new LockHold();
      long lockedMillis;
      try {
        hold.finished(plan.finishUnderLock(c));
        String rename = "RENAME TABLE " + plan.renamePairs(parkingNames(plan));
        plan.binlog().expectSwap(rename);
        renameSent.run();
        s.execute(rename);
        plan.afterRenameIssued().accept(session);
      } finally {
        s.execute("UNLOCK TABLES");
        lockedMillis = hold.released(LOG, "renaming");
      }
      return lockedMillis;
    }
  }
}
