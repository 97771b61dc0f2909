package dev.spirit.applier;

import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.ServerFlavor;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catching the new table up with the source: without a lock, to shrink the backlog, and under a table lock, to make
 * the two tables equal. Used by the checksum (before it opens its snapshots) and by the cutover (before it renames).
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
  private final ChangeBuffer buffer;
  private final Applier applier;
  private final Duration binlogWait;

  public ChangeDrain(DataSource pool, ServerFlavor flavor, BinlogSubscription binlog, ChangeBuffer buffer,
      Applier applier, Duration binlogWait) {
    this.pool = pool;
    this.flavor = flavor;
    this.binlog = binlog;
    this.buffer = buffer;
    this.applier = applier;
    this.binlogWait = binlogWait;
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
      applier.flush(Applier.Selection.all());
      int backlog = buffer.size() + buffer.inFlight();
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
    buffer.setUnbounded(true); // the reader must reach the lock's position, however many keys that adds
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
      int refreshed = applier.flushAll(lockHolder);
      binlog.checkHealthy();
      return refreshed;
    } finally {
      buffer.setUnbounded(false);
    }
  }
}
