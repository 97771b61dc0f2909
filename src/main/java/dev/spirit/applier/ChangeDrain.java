package dev.spirit.applier;

import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.ServerFlavor;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catching the new tables up with their sources: without a lock, to shrink the backlog, and under a table lock, to
 * make each pair equal. Used by the checksum (before it opens its snapshots) and by the cutover (before it renames).
 * A run of several tables has one drain over all of them, so one lock covers every pair at one binlog position.
 */
public final class ChangeDrain {
  /** Backlog small enough to drain under a table lock in a few milliseconds. */
  static final int SMALL_BACKLOG = 1000;
  static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(15);
  /** How long a drain under a table lock waits for the binlog reader before it gives up the attempt. */
  static final Duration UNDER_LOCK_WAIT = Duration.ofSeconds(10);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(ChangeDrain.class);

  private final DataSource pool;
  private final ServerFlavor flavor;
  private final BinlogSubscription binlog;
  private final List<ChangeApplier> appliers;
  private final Duration binlogWait;

  /** @param appliers one per table, each with its own buffer; all fed by {@code binlog} */
  public ChangeDrain(DataSource pool, ServerFlavor flavor, BinlogSubscription binlog,
      List<? extends ChangeApplier> appliers, Duration binlogWait) {
    this.pool = pool;
    this.flavor = flavor;
    this.binlog = binlog;
    this.appliers = List.copyOf(appliers);
    this.binlogWait = binlogWait;
  }

  /** A drain of one table. */
  public ChangeDrain(DataSource pool, ServerFlavor flavor, BinlogSubscription binlog, ChangeApplier applier,
      Duration binlogWait) {
    this(pool, flavor, binlog, List.of(applier), binlogWait);
  }

  /** Changed keys received and not yet refreshed, over every table. */
  public int backlog() {
    int backlog = 0;
    for (ChangeApplier applier : appliers) {
      backlog += applier.buffer().size() + applier.buffer().inFlight();
    }
    return backlog;
  }

  /**
   * Without locks: waits for the binlog reader to reach the server's current position and applies what is pending,
   * round after round, until the backlog is small enough to drain under a table lock in a few milliseconds. The
   * application keeps writing meanwhile, so this narrows the gap; it cannot close it. An application that changes
   * rows faster than they are applied never lets the backlog shrink: then no lock is taken, and after
   * {@link #CATCH_UP_LIMIT} the run stops (it can be resumed) rather than hold the table for the backlog's length.
   */
  public void catchUp() throws SQLException, InterruptedException {
    long started = System.nanoTime();
    long nextReport = started + REPORT_EVERY.toNanos();
    while (true) {
      BinlogPosition head;
      try (Connection c = pool.getConnection()) {
        head = flavor.currentPosition(c);
      }
      binlog.awaitPosition(head, binlogWait);
      for (ChangeApplier applier : appliers) {
        applier.flush(Applier.Selection.all());
      }
      int backlog = backlog();
      if (backlog < SMALL_BACKLOG) {
        return;
      }
      long now = System.nanoTime();
      if (now - started > CATCH_UP_LIMIT.toNanos()) {
        throw new SpiritException(ErrorCode.TIMED_OUT, "the changes to the table outpaced spirit for "
            + CATCH_UP_LIMIT.toMinutes() + " minutes (" + backlog + " changed rows still to apply), so no table lock"
            + " was taken; raise --write-threads, or run when the table is quieter. Running the same command again"
            + " resumes.");
      }
      if (now > nextReport) {
        LOG.info("catching up: {} changed rows still to apply", backlog);
        nextReport = now + REPORT_EVERY.toNanos();
      }
    }
  }

  /**
   * While a table lock keeps every writer off the source (on the lock's own connection when it holds
   * {@code LOCK TABLES source READ|WRITE, new WRITE}, or on an unlocked connection while another session holds
   * {@code source READ}): once the reader has reached the server's position every change is in the buffer, and one
   * refresh of every pending key makes the tables equal. No visibility probe is needed: every writer has finished.
   *
   * @return how many keys were refreshed
   */
  public int drainUnderLock(Connection lockHolder) throws SQLException, InterruptedException {
    // The reader must reach the lock's position, however many keys that adds.
    appliers.forEach(a -> a.buffer().setUnbounded(true));
    try {
      BinlogPosition target = flavor.currentPosition(lockHolder);
      try {
        binlog.awaitPosition(target, UNDER_LOCK_WAIT);
      } catch (SpiritException e) {
        if (e.code() != ErrorCode.TIMED_OUT) {
          throw e;
        }
        // The application waits as long as the lock is held: give up this attempt rather than hold it.
        throw new SQLException("the binlog reader did not reach the locked table's position within "
            + UNDER_LOCK_WAIT.toSeconds() + " s, so the lock was released; " + e.getMessage(), e);
      }
      int refreshed = 0;
      for (ChangeApplier applier : appliers) {
        refreshed += applier.flushAll(lockHolder);
      }
      binlog.checkHealthy();
      return refreshed;
    } finally {
      appliers.forEach(a -> a.buffer().setUnbounded(false));
    }
  }
}
