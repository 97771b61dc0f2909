package dev.spirit.cutover;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cutover attempts until one swaps the tables: a few attempts with growing pauses, each bounded by
 * lock_wait_timeout, so a busy table delays the cutover without ever blocking the application for long.
 *
 * <p>Once an attempt has sent its rename, whatever fails next (a lost connection, a timeout, an error in the
 * attempt's own clean-up) may have come after the server swapped the tables; the outcome is then read from which
 * tables exist, on a fresh connection, never guessed. The old table gets its final name after the swap, outside the
 * attempt, so a failure there cannot be mistaken for a failed swap.
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

  public CutoverResult run(CutoverPlan plan) throws InterruptedException {
    List<String> failures = new ArrayList<>();
    long pause = firstPauseMillis;
    String parking = strategy.parkingName(plan);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      AtomicBoolean renameSent = new AtomicBoolean();
      try {
        LOG.info("cutover attempt {} of {}", attempt, ATTEMPTS);
        long locked = strategy.attempt(plan, () -> renameSent.set(true));
        return new CutoverResult(locked, finishNaming(plan, parking));
      } catch (SQLException | RuntimeException e) {
        Outcome outcome = renameSent.get() ? outcome(plan, parking) : Outcome.NOT_SWAPPED;
        if (outcome == Outcome.SWAPPED) {
          LOG.info("the cutover attempt failed after its rename ({}), but the tables were swapped", e.getMessage());
          return new CutoverResult(-1, finishNaming(plan, parking));
        }
        if (outcome == Outcome.UNKNOWN) {
          throw new SpiritException(ErrorCode.OWNERSHIP_AMBIGUOUS, "the cutover of " + plan.quoted(plan.table())
              + " failed after its rename was sent (" + e.getMessage() + ") and the tables present do not say"
              + " whether it happened; check " + plan.quoted(plan.table()) + ", " + plan.quoted(plan.newTable())
              + ", " + plan.quoted(plan.oldName()) + " and " + plan.quoted(parking) + " by hand before running"
              + " again", e);
        }
        if (e instanceof RuntimeException r) {
          throw r; // a refusal (a changed definition, a sentry that is not ours): retrying would meet it again
        }
        SQLException sql = (SQLException) e;
        failures.add("attempt " + attempt + ": " + sql.getErrorCode() + " " + sql.getMessage());
        LOG.warn("cutover attempt {} failed ({}); the original table is in place", attempt, sql.getMessage());
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
   * Reads which names exist. A rename of both tables is atomic: the table present and the new table gone (with the
   * old one under its final or its parking name) means the swap happened; both present means it did not.
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
      if (table && newTable) {
        return Outcome.NOT_SWAPPED;
      }
      return Outcome.UNKNOWN;
    } catch (SQLException e) {
      LOG.warn("could not check the outcome of the rename: {}", e.getMessage());
      return Outcome.UNKNOWN;
    }
  }

  /**
   * After a swap, gives the old table its final name if it still has its parking one. Best effort: the swap is done
   * whatever happens here.
   *
   * @return the name the old table has now
   */
  private static String finishNaming(CutoverPlan plan, String parkingName) {
    if (parkingName.equals(plan.oldName())) {
      return parkingName;
    }
    try (Connection c = plan.database().connect(); var s = c.createStatement()) {
      s.execute("RENAME TABLE " + plan.quoted(parkingName) + " TO " + plan.quoted(plan.oldName()));
      return plan.oldName();
    } catch (SQLException e) {
      if (e.getErrorCode() == 1146) { // the parking name is gone: renamed already
        return plan.oldName();
      }
      LOG.warn("the old table is still named {}: {}", plan.quoted(parkingName), e.getMessage());
      return parkingName;
    }
  }
}
