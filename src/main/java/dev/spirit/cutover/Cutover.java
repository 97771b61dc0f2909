package dev.spirit.cutover;

import dev.spirit.db.SqlErrors;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cutover attempts until one swaps the tables: a few attempts with growing pauses, each bounded by
 * lock_wait_timeout, so a busy table delays the cutover without ever blocking the application for long.
 *
 * <p>When an attempt fails in a way that may have come after the server renamed the tables (a lost connection), the
 * outcome is read from which tables exist, on a fresh connection, never guessed.
 */
public final class Cutover {
  private static final Logger LOG = LoggerFactory.getLogger(Cutover.class);
  static final int ATTEMPTS = 3;

  private final CutoverStrategy strategy;
  private final long firstPauseMillis;

  public Cutover(CutoverStrategy strategy, long firstPauseMillis) {
    this.strategy = strategy;
    this.firstPauseMillis = firstPauseMillis;
  }

  /**
   * @return how long the successful attempt kept the source locked against writes, in milliseconds (-1 when the
   *     attempt's session was lost after the swap and the time is unknown)
   */
  public long run(CutoverPlan plan) throws InterruptedException {
    List<String> failures = new ArrayList<>();
    long pause = firstPauseMillis;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        LOG.info("cutover attempt {} of {}", attempt, ATTEMPTS);
        return strategy.attempt(plan);
      } catch (SQLException e) {
        Outcome outcome = SqlErrors.isConnectionLoss(e)
            ? outcome(plan, strategy.parkingName(plan)) : Outcome.NOT_SWAPPED;
        if (outcome == Outcome.SWAPPED) {
          LOG.info("the connection was lost during the cutover, but the tables were swapped");
          finishNaming(plan, strategy.parkingName(plan));
          return -1;
        }
        if (outcome == Outcome.UNKNOWN) {
          throw new SpiritException(ErrorCode.OWNERSHIP_AMBIGUOUS, "the connection was lost during the rename of "
              + plan.quoted(plan.table()) + " and the tables present do not say whether it happened; check "
              + plan.quoted(plan.table()) + ", " + plan.quoted(plan.newTable()) + " and "
              + plan.quoted(plan.oldName()) + " by hand before running again", e);
        }
        failures.add("attempt " + attempt + ": " + e.getErrorCode() + " " + e.getMessage());
        LOG.warn("cutover attempt {} failed ({}); the original table is in place", attempt, e.getMessage());
      }
      if (attempt < ATTEMPTS) {
        Thread.sleep(pause);
        pause = Math.min(pause * 4, 10_000);
      }
    }
    throw new SpiritException(ErrorCode.CUTOVER_FAILED, "cutover of " + plan.quoted(plan.table()) + " failed "
        + ATTEMPTS + " times; the original table is in place and unchanged. " + String.join("; ", failures)
        + ". A long transaction or a LOCK TABLES on the table blocks the cutover; raise --lock-wait-timeout or run"
        + " when the table is quieter.");
  }

  enum Outcome { SWAPPED, NOT_SWAPPED, UNKNOWN }

  /**
   * Reads which names exist: the new table gone and the old table present (under its final or its parking name)
   * means the swap happened; the new table still there and no old table means it did not.
   */
  static Outcome outcome(CutoverPlan plan, String parkingName) {
    try (Connection c = plan.database().connect();
        PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?, ?, ?, ?)")) {
      ps.setString(1, plan.schema());
      ps.setString(2, plan.table());
      ps.setString(3, plan.newTable());
      ps.setString(4, plan.oldName());
      ps.setString(5, parkingName);
      List<String> present = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          present.add(rs.getString(1));
        }
      }
      boolean table = present.contains(plan.table());
      boolean newTable = present.contains(plan.newTable());
      boolean old = present.contains(plan.oldName()) || present.contains(parkingName);
      if (table && !newTable && old) {
        return Outcome.SWAPPED;
      }
      if (table && newTable && !old) {
        return Outcome.NOT_SWAPPED;
      }
      return Outcome.UNKNOWN;
    } catch (SQLException e) {
      LOG.warn("could not check the outcome of the rename: {}", e.getMessage());
      return Outcome.UNKNOWN;
    }
  }

  /** After a swap whose session was lost, gives the old table its final name if it still has its parking one. */
  private static void finishNaming(CutoverPlan plan, String parkingName) {
    if (parkingName.equals(plan.oldName())) {
      return;
    }
    try (Connection c = plan.database().connect(); var s = c.createStatement()) {
      s.execute("RENAME TABLE " + plan.quoted(parkingName) + " TO " + plan.quoted(plan.oldName()));
    } catch (SQLException e) {
      if (e.getErrorCode() != 1146) { // 1146: already renamed by the attempt itself
        LOG.warn("the old table is still named {}: {}", plan.quoted(parkingName), e.getMessage());
      }
    }
  }

}
