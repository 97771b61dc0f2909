package dev.spirit.cutover;

import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB refuses RENAME TABLE under LOCK TABLES (error 1192), so the swap takes three sessions; see
 * docs/cutover-mariadb.md for why each step is safe.
 *
 * <ol>
 *   <li>Create the sentry (a name that sorts after the table's). Session A: {@code LOCK TABLES t READ, sentry WRITE}:
 *       the application can no longer write {@code t}.</li>
 *   <li>Session C (no table lock) applies the last changes into {@code _t_new}, which A does not hold.</li>
 *   <li>Session B: {@code RENAME TABLE t TO sentry, _t_new TO t}. It queues an exclusive lock request on {@code t}
 *       behind A; from then on it is ahead of every application statement that waits on {@code t}. It cannot
 *       complete while the sentry exists.</li>
 *   <li>Only on evidence that B's request is queued on {@code t} itself, A drops the sentry and unlocks; B's rename
 *       runs before any queued statement. The evidence is a probe session's shared read of {@code t} seen by the
 *       server as waiting for the table's metadata lock: it is compatible with A's lock and with queued writes, so
 *       only a queued exclusive request can hold it. How long anything takes is never evidence.</li>
 * </ol>
 *
 * <p>If A dies before dropping the sentry, B's rename fails on the existing sentry and the original table stays. If A's
 * own work fails, it kills B's statement, unlocks, waits for B to end, and only then removes the sentry.
 */
final class SentryTableCutover implements CutoverStrategy {
  private static final Logger LOG = LoggerFactory.getLogger(SentryTableCutover.class);
  static final String SUFFIX = "_spirit_swap";
  static final String COMMENT = "spirit cutover sentry";
  private static final String WAITING_FOR_MDL = "waiting for table metadata lock";

  @Override
  public long attempt(CutoverPlan plan, Runnable renameSent) throws SQLException, InterruptedException {
    String sentry = sentryName(plan.table());
    String quotedSentry = plan.quoted(sentry);
    ExecutorService sessions = Executors.newFixedThreadPool(2, Workers.daemons("cutover-session"));
    try (Connection a = plan.database().connect(); Statement s = a.createStatement();
        Connection b = plan.database().connect(); Connection c = plan.database().connect();
        Connection watcher = plan.database().connect()) {
      createSentry(watcher, plan, sentry);
      long renameSession = LockAndRenameCutover.connectionId(b);
      long lockSession = LockAndRenameCutover.connectionId(a);
      boolean sentryDropped = false;
      Future<?> rename = null;
      QueueProbe queueProbe = null;
      LockHold hold = null;
      long lockedMillis;
      try {
        s.execute("LOCK TABLES " + plan.quoted(plan.table()) + " READ, " + quotedSentry + " WRITE");
        hold = new LockHold();
        hold.finished(plan.finishUnderLock(c));
        String renameSql = "RENAME TABLE " + plan.quoted(plan.table()) + " TO " + quotedSentry + ", "
            + plan.quoted(plan.newTable()) + " TO " + plan.quoted(plan.table());
        plan.binlog().expectOwnStatement(renameSql);
        renameSent.run();
        rename = sessions.submit(() -> {
          try (Statement rs = b.createStatement()) {
            rs.execute(renameSql);
          }
          return null;
        });
        awaitWaiting(watcher, renameSession, rename, plan);
        queueProbe = awaitQueuedOnTable(plan, watcher, rename, sessions);
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
      return lockedMillis;
    } finally {
      sessions.shutdownNow();
    }
  }

  @Override
  public String parkingName(CutoverPlan plan) {
    return sentryName(plan.table());
  }

  /**
   * A name that sorts after the table's own, so that the rename, which requests its locks in name order, always
   * queues on the table before it reaches the sentry: {@code <table>_spirit_swap}, or for a name too long for that,
   * the table's name with one character replaced by a greater one ({@code ~}) and cut to fit.
   */
  static String sentryName(String table) {
    if (table.codePointCount(0, table.length()) + SUFFIX.length() <= Identifiers.MAX_NAME) {
      return table + SUFFIX;
    }
    String marker = "~" + SUFFIX.substring(1);
    int keep = Identifiers.MAX_NAME - marker.length();
    for (int i = keep; i >= 0; i--) {
      String prefix = Identifiers.prefix(table, i);
      int next = table.codePointAt(prefix.length());
      if (next < '~') {
        return prefix + marker; // equal up to here, then greater: sorts after the table
      }
    }
    throw new SpiritException(ErrorCode.UNSUPPORTED_TABLE, "refusing to migrate `" + table + "`: the MariaDB cutover"
        + " needs a sentry table whose name sorts after the table's, and none fits in 64 characters; rename the"
        + " table first");
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
  private static void awaitWaiting(Connection watcher, long renameSession, Future<?> rename, CutoverPlan plan)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + plan.database().lockWaitTimeout().toNanos() / 2;
    while (System.nanoTime() < deadline) {
      failIfEnded(rename);
      if (waitingForMetadataLock(watcher, renameSession, "RENAME TABLE")) {
        return;
      }
      Thread.sleep(2);
    }
    // An SQLException: the attempt failed with the original table in place, and the next one may succeed.
    throw new SQLException("the rename session never queued on a metadata lock");
  }

  /** Whether the server shows {@code session} waiting for a metadata lock while running SQL starting so. */
  private static boolean waitingForMetadataLock(Connection watcher, long session, String sqlPrefix)
      throws SQLException {
    try (PreparedStatement ps = watcher.prepareStatement(
        "SELECT STATE, INFO FROM information_schema.PROCESSLIST WHERE ID = ?")) {
      ps.setLong(1, session);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(2) != null && rs.getString(2).startsWith(sqlPrefix)
            && rs.getString(1) != null && rs.getString(1).toLowerCase(Locale.ROOT).equals(WAITING_FOR_MDL);
      }
    }
  }

  /**
   * Proves that B's exclusive request is queued on the table itself, not on the new table or the sentry. B takes its
   * locks in name order and keeps those it has while it waits for the next; {@code _t_new} may sort before
   * {@code t}, and InnoDB's purge and statistics threads take short shared locks on the new table (MariaDB 10.6+).
   * While B waits there it holds nothing on {@code t}: once A unlocked, queued application writes would run on the
   * old table before B's rename and be lost. So a probe reads {@code t}: its shared lock is compatible with A's read
   * lock and with queued writes and can only wait behind a queued exclusive request. The server's processlist showing
   * the probe waiting for the table's metadata lock is the proof; a probe that returns shows B is not there yet, and
   * another probe is started until the deadline.
   *
   * @return the probe left waiting; it ends when B has renamed (or at its 1 s lock wait timeout) and must be closed
   */
  private static QueueProbe awaitQueuedOnTable(CutoverPlan plan, Connection watcher, Future<?> rename,
      ExecutorService sessions) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + plan.database().lockWaitTimeout().toNanos() / 2;
    while (System.nanoTime() < deadline) {
      failIfEnded(rename);
      QueueProbe probe = new QueueProbe(plan, sessions);
      boolean queued = false;
      try {
        while (!probe.returned() && System.nanoTime() < deadline) {
          failIfEnded(rename);
          if (waitingForMetadataLock(watcher, probe.session, probe.sql)) {
            queued = true;
            return probe;
          }
          Thread.sleep(1);
        }
        probe.throwIfFailed();
      } finally {
        if (!queued) {
          probe.close();
        }
      }
      Thread.sleep(5);
    }
    throw new SQLException("the rename of " + plan.quoted(plan.table()) + " never queued for the table's own lock"
        + " (another session held " + plan.quoted(plan.newTable()) + " or the sentry)");
  }

  /** {@code SELECT 1 FROM t LIMIT 0} on a session of its own, with a 1 s metadata-lock wait. */
  private static final class QueueProbe implements AutoCloseable {
    private final Connection connection;
    private final long session;
    private final String sql;
    private final Future<?> select;

    QueueProbe(CutoverPlan plan, ExecutorService sessions) throws SQLException {
      connection = plan.database().connect();
      try (Statement s = connection.createStatement()) {
        s.execute("SET SESSION lock_wait_timeout = 1");
        session = LockAndRenameCutover.connectionId(connection);
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      sql = "SELECT 1 FROM " + plan.quoted(plan.table()) + " LIMIT 0";
      select = sessions.submit(() -> {
        try (Statement s = connection.createStatement()) {
          s.executeQuery(sql).close();
        }
        return null;
      });
    }

    boolean returned() {
      return select.isDone();
    }

    /** An error of the read itself (not a lock wait timeout) ends the attempt. */
    void throwIfFailed() throws SQLException, InterruptedException {
      if (!select.isDone()) {
        return;
      }
      try {
        select.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
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
  private static void failIfEnded(Future<?> rename) throws SQLException, InterruptedException {
    if (rename.isDone()) {
      join(rename);
      throw new SpiritException(ErrorCode.CUTOVER_FAILED, "the rename finished while the table was locked");
    }
  }

  private static void join(Future<?> rename) throws SQLException, InterruptedException {
    if (rename == null) {
      return;
    }
    try {
      rename.get(1, TimeUnit.HOURS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new SpiritException(ErrorCode.CUTOVER_FAILED, "rename failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new SpiritException(ErrorCode.CUTOVER_FAILED, "rename did not finish");
    }
  }

  private static void awaitQuietly(Future<?> session) {
    Workers.awaitQuietly(session, Duration.ofHours(1), "cutover session");
  }
}
