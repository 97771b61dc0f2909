package dev.spirit.cutover;

import dev.spirit.db.ServerFlavor;
import java.sql.SQLException;
import java.util.List;

/**
 * One attempt at swapping the tables. An attempt either completes the swap or leaves the original table in place
 * and in use; {@link Cutover} retries attempts and resolves outcomes the attempt cannot know.
 */
public interface CutoverStrategy {

  /**
   * @param renameSent to be run just before the rename is sent to the server: from then on a failure may have come
   *     after the swap, and the outcome is read from the tables present
   * @return how long the source table was locked against writes, in milliseconds
   * @throws SQLException when the attempt failed
   */
  long attempt(CutoverPlan plan, Runnable renameSent) throws SQLException, InterruptedException;

  /**
   * The names the old tables carry right after the swap, in the plan's order, before {@link Cutover} gives them
   * their final ones.
   */
  default List<String> parkingNames(CutoverPlan plan) {
    return plan.swaps().stream().map(CutoverPlan.Swap::oldName).toList();
  }

  /** Refuses, before anything changes, tables this server's cutover cannot swap together. */
  static void checkFeasible(ServerFlavor flavor, List<String> tables) {
    if (!(forTables(flavor, tables.size()) instanceof LockAndRenameCutover)) {
      SentryTableCutover.sentryNames(tables);
    }
  }

  /** The strategy for one table on a server; see {@link #forTables}. */
  static CutoverStrategy forFlavor(ServerFlavor flavor) {
    return forTables(flavor, 1);
  }

  /**
   * One table on a server that renames under LOCK TABLES (MySQL): one session locks, renames and unlocks. Otherwise
   * the sentry tables: MariaDB cannot rename under a table lock, and several tables cannot be locked by one session
   * without a deadlock with application transactions that write two of them (see {@link dev.spirit.db.TableLockSessions}).
   */
  static CutoverStrategy forTables(ServerFlavor flavor, int tables) {
    return flavor.renamesUnderTableLock() && tables == 1 ? new LockAndRenameCutover() : new SentryTableCutover();
  }
}
