package dev.spirit.applier;

import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.ServerFlavor;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Catching the new table up with the source: without a lock, to shrink the backlog, and under a table lock, to make
 * the two tables equal. Used by the checksum (before it opens its snapshots) and by the cutover (before it renames).
 */
public final class ChangeDrain {
  /** Backlog small enough to drain under a table lock in a few milliseconds. */
  static final int SMALL_BACKLOG = 1000;

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
   * until little is left. The application keeps writing meanwhile, so this narrows the gap; it cannot close it.
   */
  public void catchUp() throws SQLException, InterruptedException {
    for (int round = 0; round < 10; round++) {
      BinlogPosition head;
      try (Connection c = pool.getConnection()) {
        head = flavor.currentPosition(c);
      }
      binlog.awaitPosition(head, binlogWait);
      applier.flush(k -> true);
      if (buffer.size() < SMALL_BACKLOG) {
        return;
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
    binlog.awaitPosition(flavor.currentPosition(lockHolder), binlogWait);
    int refreshed = applier.flushAll(lockHolder);
    binlog.checkHealthy();
    return refreshed;
  }
}
