package dev.spirit.cutover;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB refuses RENAME TABLE under LOCK TABLES (error 1192), so the swap takes three sessions; see
 * docs/cutover-mariadb.md for why each step is safe.
 *
 * <ol>
 *   <li>Create the sentry {@code <t>_spirit_swap}. Session A: {@code LOCK TABLES t READ, sentry WRITE}: the
 *       application can no longer write {@code t}.</li>
 *   <li>Session C (no table lock) applies the last changes into {@code _t_new}, which A does not hold.</li>
 *   <li>Session B: {@code RENAME TABLE t TO sentry, _t_new TO t}. It takes {@code _t_new} (usually at once: InnoDB's
 *       purge and statistics threads may hold it for a moment) and queues an exclusive lock request on {@code t}
 *       behind A; from then on it is ahead of every application statement that waits on {@code t}. It cannot
 *       complete while the sentry exists. The sentry's name has {@code t} as a prefix, so B always requests
 *       {@code t} before the sentry.</li>
 *   <li>Once B is seen queued on {@code t} itself (a probe of the lock, not only "waiting for a metadata lock"), A
 *       drops the sentry and unlocks; B's rename runs before any queued statement.</li>
 * </ol>
 *
 * <p>If A dies before dropping the sentry, B's rename fails on the existing sentry and the original table stays. If A's
 * own work fails, it kills B's statement, unlocks, waits for B to end, and only then removes the sentry.
 */
final class SentryTableCutover implements CutoverStrategy {
  private static final Logger LOG = LoggerFactory.getLogger(SentryTableCutover.class);
  static final String SUFFIX = "_spirit_swap";
  static final String COMMENT = "spirit cutover sentry";
  /** How long a probe of the table's lock must stay blocked to count as queued behind B's exclusive request. */
  static final long QUEUED_AFTER_MILLIS = 40;

  @Override
  public long attempt(CutoverPlan plan) throws SQLException, InterruptedException {
    String sentry = sentryName(plan.table());
    String quotedSentry = plan.quoted(sentry);
    try (Connection a = plan.database().connect(); Statement s = a.createStatement();
        Connection b = plan.database().connect(); Connection c = plan.database().connect();
        Connection watcher = plan.database().connect()) {
      createSentry(watcher, plan, sentry);
      long renameSession = LockAndRenameCutover.connectionId(b);
      long lockSession = LockAndRenameCutover.connectionId(a);
      boolean sentryDropped = false;
      CompletableFuture<Void> rename = null;
      QueueProbe queueProbe = null;
      LockHold hold = null;
      long lockedMillis;
      try {
        s.execute("LOCK TABLES " + plan.quoted(plan.table()) + " READ, " + quotedSentry + " WRITE");
        hold = new LockHold();
        hold.finished(plan.finishUnderLock(c));
        plan.binlog().expectOwnRename();
        String renameSql = "RENAME TABLE " + plan.quoted(plan.table()) + " TO " + quotedSentry + ", "
            + plan.quoted(plan.newTable()) + " TO " + plan.quoted(plan.table());
        rename = CompletableFuture.runAsync(() -> {
          try (Statement rs = b.createStatement()) {
            rs.execute(renameSql);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        });
        awaitWaiting(watcher, renameSession, rename, plan);
        queueProbe = awaitQueuedOnTable(plan, rename);
        s.execute("DROP TABLE " + quotedSentry);
        sentryDropped = true;
        plan.afterRenameIssued().accept(lockSession);
      } finally {
        if (!sentryDropped && rename != null) {
          // The rename must fail, and be seen to fail, before the sentry may go away.
          try (Statement k = watcher.createStatement()) {
            k.execute("KILL QUERY " + renameSession);
          } catch (SQLException e) {
            LOG.debug("could not kill the queued rename", e);
          }
        }
        SQLException unlockFailure = null;
        try {
          s.execute("UNLOCK TABLES");
        } catch (SQLException e) {
          unlockFailure = e; // A is gone: the server released its locks with it
        }
        lockedMillis = hold == null ? 0 : hold.released(LOG, "swapping through the sentry table");
        // Whatever happened, B's statement ends now (renamed, or failed on the sentry); wait for it before judging.
        awaitQuietly(rename);
        if (queueProbe != null) {
          queueProbe.close();
        }
        if (!sentryDropped) {
          try (Statement w = watcher.createStatement()) {
            w.execute("DROP TABLE IF EXISTS " + quotedSentry);
          }
        }
        if (unlockFailure != null) {
          throw unlockFailure;
        }
      }
      join(rename);
      // The old table now carries the sentry's name; give it its final one.
      try (Statement w = watcher.createStatement()) {
        w.execute("RENAME TABLE " + quotedSentry + " TO " + plan.quoted(plan.oldName()));
      }
      return lockedMillis;
    }
  }

  @Override
  public String parkingName(CutoverPlan plan) {
    return sentryName(plan.table());
  }

  /** {@code <table>_spirit_swap}: the table's name is its prefix, so the server always locks the table first. */
  static String sentryName(String table) {
    String name = table + SUFFIX;
    if (name.length() > 64) {
      throw new SpiritException(ErrorCode.UNSUPPORTED_TABLE, "refusing to migrate `" + table + "`: its name is too"
          + " long for the MariaDB cutover's sentry table `<table>" + SUFFIX + "` (at most "
          + (64 - SUFFIX.length()) + " characters); rename the table first");
    }
    return name;
  }

  /** Creates the sentry; a leftover of ours is replaced, a table of someone else's with that name stops the run. */
  private static void createSentry(Connection c, CutoverPlan plan, String sentry) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_COMMENT FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, plan.schema());
      ps.setString(2, sentry);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && !COMMENT.equals(rs.getString(1))) {
          throw new SpiritException(ErrorCode.CUTOVER_FAILED, "table " + plan.quoted(sentry) + " exists and was"
              + " not created by spirit; the MariaDB cutover needs that name. Rename that table and run again.");
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + plan.quoted(sentry));
      s.execute("CREATE TABLE " + plan.quoted(sentry) + " (id INT PRIMARY KEY) COMMENT '" + COMMENT + "'");
    }
  }

  /** Waits until session B's RENAME is queued on a metadata lock; fails the attempt if it is not. */
  private static void awaitWaiting(Connection watcher, long renameSession, CompletableFuture<Void> rename,
      CutoverPlan plan) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + plan.database().lockWaitTimeout().toNanos() / 2;
    try (PreparedStatement ps = watcher.prepareStatement(
        "SELECT STATE, INFO FROM information_schema.PROCESSLIST WHERE ID = ?")) {
      ps.setLong(1, renameSession);
      while (System.nanoTime() < deadline) {
        failIfEnded(rename);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getString(2) != null && rs.getString(2).startsWith("RENAME TABLE")
              && rs.getString(1) != null && rs.getString(1).toLowerCase(Locale.ROOT).contains("metadata lock")) {
            return;
          }
        }
        Thread.sleep(2);
      }
    }
    // An SQLException: the attempt failed with the original table in place, and the next one may succeed.
    throw new SQLException("the rename session never queued on a metadata lock");
  }

  /**
   * Proves that B's exclusive request is queued on the table itself, not on the new table or the sentry. B takes its
   * locks in name order and keeps those it has while it waits for the next; {@code _t_new} sorts before {@code t},
   * and InnoDB's purge and statistics threads take short shared locks on the new table (MariaDB 10.6+). While B
   * waits there it holds nothing on {@code t}: once A unlocked, queued application writes would run on the old table
   * before B's rename and be lost. "Waiting for table metadata lock" does not say which table, so a probe asks the
   * lock itself: a shared read of {@code t} is compatible with A's read lock and with queued writes, and waits only
   * behind a queued exclusive request. A probe still waiting after {@link #QUEUED_AFTER_MILLIS} shows B in the
   * queue; one that returns means B is not there yet, and the probe is repeated until the deadline.
   *
   * @return the probe left waiting; it ends when B has renamed (or at its 1 s lock wait timeout) and must be closed
   */
  private static QueueProbe awaitQueuedOnTable(CutoverPlan plan, CompletableFuture<Void> rename)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + plan.database().lockWaitTimeout().toNanos() / 2;
    while (System.nanoTime() < deadline) {
      failIfEnded(rename);
      QueueProbe probe = new QueueProbe(plan);
      boolean queued = false;
      try {
        queued = probe.stillWaitingAfter(QUEUED_AFTER_MILLIS);
      } finally {
        if (!queued) {
          probe.close();
        }
      }
      if (queued) {
        return probe;
      }
      Thread.sleep(5);
    }
    throw new SQLException("the rename of " + plan.quoted(plan.table()) + " never queued for the table's own lock"
        + " (another session held " + plan.quoted(plan.newTable()) + " or the sentry)");
  }

  /** {@code SELECT 1 FROM t LIMIT 0} on a session of its own, with a 1 s metadata-lock wait. */
  private static final class QueueProbe implements AutoCloseable {
    private final Connection connection;
    private final CompletableFuture<Void> select;

    QueueProbe(CutoverPlan plan) throws SQLException {
      connection = plan.database().connect();
      try (Statement s = connection.createStatement()) {
        s.execute("SET SESSION lock_wait_timeout = 1");
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      String sql = "SELECT 1 FROM " + plan.quoted(plan.table()) + " LIMIT 0";
      select = CompletableFuture.runAsync(() -> {
        try (Statement s = connection.createStatement()) {
          s.executeQuery(sql).close();
        } catch (SQLException e) {
          throw new CompletionException(e);
        }
      });
    }

    /** True if the read is still waiting after {@code millis}; an error of the read itself is thrown. */
    boolean stillWaitingAfter(long millis) throws SQLException, InterruptedException {
      try {
        select.get(millis, TimeUnit.MILLISECONDS);
        return false;
      } catch (TimeoutException e) {
        return true;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
        throw cause instanceof SQLException sql ? sql : new SQLException("queue probe failed: " + cause, cause);
      }
    }

    /** Waits for the read to end (granted after the rename, or timed out) and closes its session. */
    @Override
    public void close() {
      awaitQuietly(select);
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the queue probe failed", e);
      }
    }
  }

  /** B cannot finish while A holds its lock: an ended rename failed (its error is thrown) or the lock is gone. */
  private static void failIfEnded(CompletableFuture<Void> rename) throws SQLException, InterruptedException {
    if (rename.isDone()) {
      join(rename);
      throw new SpiritException(ErrorCode.CUTOVER_FAILED, "the rename finished while the table was locked");
    }
  }

  private static void join(CompletableFuture<Void> rename) throws SQLException, InterruptedException {
    if (rename == null) {
      return;
    }
    try {
      rename.get(1, TimeUnit.HOURS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
      if (cause instanceof SQLException sql) {
        throw sql;
      }
      throw new SpiritException(ErrorCode.CUTOVER_FAILED, "rename failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new SpiritException(ErrorCode.CUTOVER_FAILED, "rename did not finish");
    }
  }

  private static void awaitQuietly(CompletableFuture<Void> rename) {
    if (rename == null) {
      return;
    }
    try {
      rename.get(1, TimeUnit.HOURS);
    } catch (Exception e) {
      LOG.debug("queued rename ended with {}", e.toString());
    }
  }


}
