package dev.spirit.cutover;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cutover attempts until one swaps the tables, all of the plan's at once: a few attempts with growing pauses,
 * each bounded by lock_wait_timeout, so a busy table delays the cutover without ever blocking the application for
 * long.
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
    List<String> parking = strategy.parkingNames(plan);
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
          throw new SpiritException(ErrorCode.OWNERSHIP_AMBIGUOUS, "the cutover of " + plan.tables()
              + " failed after its rename was sent (" + e.getMessage() + ") and the tables present do not say"
              + " whether it happened; check " + involved(plan, parking) + " by hand before running again", e);
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
    boolean one = plan.swaps().size() == 1;
    throw new SpiritException(ErrorCode.CUTOVER_FAILED, "cutover of " + plan.tables() + " failed "
        + ATTEMPTS + " times; the original table" + (one ? " is" : "s are") + " in place and unchanged. "
        + String.join("; ", failures) + ". A long transaction or a LOCK TABLES on the table" + (one ? "" : "s")
        + " blocks the cutover; raise --lock-wait-timeout or run when the table" + (one ? " is" : "s are")
        + " quieter.");
  }

  private static String involved(CutoverPlan plan, List<String> parking) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < plan.swaps().size(); i++) {
      CutoverPlan.Swap swap = plan.swaps().get(i);
      for (String name : Arrays.asList(swap.table(), swap.newTable(), swap.oldName(), parking.get(i))) {
        if (name != null && !names.contains(plan.quoted(name))) {
          names.add(plan.quoted(name));
        }
      }
    }
    return String.join(", ", names);
  }

  enum Outcome { SWAPPED, NOT_SWAPPED, UNKNOWN }

  /**
   * Reads which names exist. One RENAME TABLE of every pair is atomic: each table present and its new table gone
   * (with the old one under its final or its parking name) means the swap happened; every table present with its new
   * table means it did not. Anything else is not a state the rename leaves, and is not guessed at.
   */
  static Outcome outcome(CutoverPlan plan, List<String> parkingNames) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < plan.swaps().size(); i++) {
      CutoverPlan.Swap swap = plan.swaps().get(i);
      names.addAll(Arrays.asList(swap.table(), swap.newTable(), swap.oldName(), parkingNames.get(i)));
      names.removeIf(java.util.Objects::isNull);
    }
    try (Connection c = plan.database().connect();
        PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (" + String.join(", ", Collections.nCopies(names.size(), "?"))
            + ")")) {
      ps.setString(1, plan.schema());
      for (int i = 0; i < names.size(); i++) {
        ps.setString(i + 2, names.get(i));
      }
      List<String> present = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          present.add(rs.getString(1));
        }
      }
      int swapped = 0;
      int notSwapped = 0;
      for (int i = 0; i < plan.swaps().size(); i++) {
        CutoverPlan.Swap swap = plan.swaps().get(i);
        boolean table = present.contains(swap.table());
        boolean old = present.contains(swap.oldName()) || present.contains(parkingNames.get(i));
        if (swap.retires()) {
          if (!table && old) {
            swapped++;
          } else if (table) {
            notSwapped++;
          }
          continue;
        }
        boolean newTable = present.contains(swap.newTable());
        if (table && !newTable && old) {
          swapped++;
        } else if (table && newTable) {
          notSwapped++;
        }
      }
      int all = plan.swaps().size();
      return swapped == all ? Outcome.SWAPPED : notSwapped == all ? Outcome.NOT_SWAPPED : Outcome.UNKNOWN;
    } catch (SQLException e) {
      LOG.warn("could not check the outcome of the rename: {}", e.getMessage());
      return Outcome.UNKNOWN;
    }
  }

  /**
   * After a swap, gives each old table its final name if it still has its parking one. Best effort: the swap is done
   * whatever happens here.
   *
   * @return the names the old tables have now
   */
  private static List<String> finishNaming(CutoverPlan plan, List<String> parkingNames) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < plan.swaps().size(); i++) {
      names.add(finishNaming(plan, plan.swaps().get(i).oldName(), parkingNames.get(i)));
    }
    return names;
  }

  private static String finishNaming(CutoverPlan plan, String oldName, String parkingName) {
    if (parkingName.equals(oldName)) {
      return parkingName;
    }
    try (Connection c = plan.database().connect(); var s = c.createStatement()) {
      s.execute("RENAME TABLE " + plan.quoted(parkingName) + " TO " + plan.quoted(oldName));
      return oldName;
    } catch (SQLException e) {
      if (e.getErrorCode() == 1146) { // the parking name is gone: renamed already
        return oldName;
      }
      LOG.warn("the old table is still named {}: {}", plan.quoted(parkingName), e.getMessage());
      return parkingName;
    }
  }
}
