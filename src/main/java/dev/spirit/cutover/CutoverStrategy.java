package dev.spirit.cutover;

import dev.spirit.db.ServerFlavor;
import java.sql.SQLException;

/**
 * One attempt at swapping the tables. An attempt either completes the swap or leaves the original table in place
 * and in use; {@link Cutover} retries attempts and resolves ambiguous outcomes.
 */
public interface CutoverStrategy {

  /**
   * @return how long the source table was locked against writes, in milliseconds
   * @throws SQLException when the attempt failed; the caller decides from the error whether the swap may have
   *     happened
   */
  long attempt(CutoverPlan plan) throws SQLException, InterruptedException;

  /** The name the old table carries right after the swap, before the strategy gives it its final name. */
  default String parkingName(CutoverPlan plan) {
    return plan.oldName();
  }

  /** Refuses, before anything changes, a table this server's cutover cannot swap (name too long for the sentry). */
  static void checkFeasible(ServerFlavor flavor, String table) {
    if (!flavor.renamesUnderTableLock()) {
      SentryTableCutover.sentryName(table);
    }
  }

  /** The strategy for a server: one session with RENAME under LOCK TABLES where allowed, else the sentry table. */
  static CutoverStrategy forFlavor(ServerFlavor flavor) {
    return flavor.renamesUnderTableLock() ? new LockAndRenameCutover() : new SentryTableCutover();
  }
}
