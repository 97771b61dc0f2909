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
    if (!flavor.renamesUnderTableLock()) {
      SentryTableCutover.sentryNames(tables);
    }
  }

  /** The strategy for a server: one session with RENAME under LOCK TABLES where allowed, else the sentry table. */
  static CutoverStrategy forFlavor(ServerFlavor flavor) {
    return flavor.renamesUnderTableLock() ? new LockAndRenameCutover() : new SentryTableCutover();
  }
}
