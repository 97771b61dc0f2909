package dev.spirit.cutover;

import dev.spirit.db.MetadataLockBlockers;
import dev.spirit.db.TableLockSessions;
import dev.spirit.db.TableName;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB refuses RENAME TABLE under LOCK TABLES (error 1192), so the swap takes several sessions; see
 * docs/cutover-mariadb.md for why each step is safe.
 *
 * <ol>
 *   <li>Create one sentry per table, with names that sort after every table's. One session per table,
 *       {@code LOCK TABLES t READ}, in the order the rename will request them, and one more session holding every
 *       sentry ({@code LOCK TABLES sentry WRITE, …}): the application can no longer write any table.</li>
 *   <li>A session without table locks applies the last changes into the new tables, which nobody holds.</li>
 *   <li>Session B: {@code RENAME TABLE t TO sentry, _t_new TO t, …} for every table. It requests its exclusive
 *       metadata locks in name order and keeps those it has while it waits for the next, so it queues on the first
 *       table and, once it holds it, on the next; queued on a table, it is ahead of every application statement that
 *       waits for it. It cannot complete while the sentries exist.</li>
 *   <li>Table by table, in that order, only on evidence that B's request is queued on the table itself, its lock
 *       session unlocks: B takes the table before any queued statement. The evidence is a probe session's shared
 *       read of the table seen by the server as waiting for the table's metadata lock: it is compatible with the
 *       lock session's lock and with queued writes, so only a queued exclusive request can hold it. How long anything
 *       takes is never evidence. Once B holds every table, the sentries are dropped and their session unlocks.</li>
 * </ol>
 *
 * <p>If any session dies before the sentries are dropped, B's rename fails on an existing sentry and the original
 * tables stay. If the attempt's own work fails, it kills B's statement, unlocks, waits for B to end, and only then
 * removes the sentries.
 */
final class SentryTableCutover implements CutoverStrategy {
  private static final Logger LOG = LoggerFactory.getLogger(SentryTableCutover.class);
  static final String SUFFIX = "_spirit_swap";
  static final String COMMENT = "spirit cutover sentry";
  private static final String WAITING_FOR_MDL = "waiting for table metadata lock";

  @Override
  public long attempt(CutoverPlan plan, Runnable renameSent) throws SQLException, InterruptedException {
    List<CutoverPlan.Swap> swaps = plan.swaps();
    List<String> sentries = sentryNames(swaps.stream().map(CutoverPlan.Swap::table).toList());
    List<Integer> lockOrder = lockOrder(swaps);
    // The rename, and one queue probe per table: each probe stays waiting until the rename is done.
    ExecutorService sessions = Executors.newFixedThreadPool(1 + swaps.size(), Workers.daemons("cutover-session"));
    List<QueueProbe> probes = new ArrayList<>();
    try (Connection a = plan.database().connect(); Statement s = a.createStatement();
        Connection b = plan.database().connect(); Connection c = plan.database().connect();
        Connection watcher = plan.database().connect();
        TableLockSessions tableLocks = new TableLockSessions(plan.database(), lockOrder.stream()
            .map(i -> new TableName(plan.schema(), swaps.get(i).table())).toList())) {
      createSentries(watcher, plan, sentries);
      long renameSession = LockAndRenameCutover.connectionId(b);
      long sentrySession = LockAndRenameCutover.connectionId(a);
      boolean sentriesDropped = false;
      Future<?> rename = null;
      MetadataLockBlockers.Watch renameWatch = null;
      LockHold hold = null;
      long lockedMillis;
      try {
        tableLocks.lockAll(plan.database().lockWaitTimeout(), "the cutover's lock");
        s.execute("LOCK TABLES " + sentries.stream().map(n -> plan.quoted(n) + " WRITE")
            .collect(Collectors.joining(", ")));
        hold = new LockHold();
        hold.finished(plan.finishUnderLock(c));
        String renameSql = "RENAME TABLE " + plan.renamePairs(sentries);
        plan.binlog().expectSwap(renameSql);
        renameSent.run();
        rename = sessions.submit(() -> {
          try (Statement rs = b.createStatement()) {
            rs.execute(renameSql);
          }
          return null;
        });
        // The tables' read locks let other readers in: an idle transaction that read a table blocks the rename only.
        renameWatch = plan.database().blockers().watch(swaps.stream().map(w -> new TableName(plan.schema(),
            w.table())).toList(), plan.database().lockWaitTimeout(), "the cutover's rename");
        awaitWaiting(watcher, renameSession, rename, plan);
        for (int k = 0; k < lockOrder.size(); k++) {
          probes.add(awaitQueuedOn(plan, swaps.get(lockOrder.get(k)).table(), watcher, rename, sessions));
          tableLocks.unlock(k); // B is first in line for this table: it takes it before anyone else
        }
        s.execute("DROP TABLE " + sentries.stream().map(plan::quoted).collect(Collectors.joining(", ")));
        sentriesDropped = true;
        plan.afterRenameIssued().accept(sentrySession);
      } finally {
        if (!sentriesDropped && rename != null) {
          // The rename must fail, and be seen to fail, before the sentries may go away.
          try (Statement k = watcher.createStatement()) {
            k.execute("KILL QUERY " + renameSession);
          } catch (SQLException e) {
            LOG.debug("could not kill the queued rename", e);
          }
        }
        tableLocks.unlockAll();
        SQLException unlockFailure = null;
        try {
          s.execute("UNLOCK TABLES");
        } catch (SQLException e) {
          unlockFailure = e; // the sentries' session is gone: the server released its locks with it
        }
        lockedMillis = hold == null ? 0 : hold.released(LOG, "swapping through the sentry tables");
        // Whatever happened, B's statement ends now (renamed, or failed on a sentry); wait for it before judging.
        awaitQuietly(rename);
        if (renameWatch != null) {
          renameWatch.close();
        }
        probes.forEach(QueueProbe::close);
        if (!sentriesDropped) {
          try (Statement w = watcher.createStatement()) {
            w.execute("DROP TABLE IF EXISTS " + sentries.stream().map(plan::quoted)
                .collect(Collectors.joining(", ")));
          }
        }
        if (unlockFailure != null) {
          throw unlockFailure;
        }
      }
      try {
        join(rename);
      } catch (SQLException e) {
        throw renameWatch.explain(e);
      }
      return lockedMillis;
    } finally {
      sessions.shutdownNow();
    }
  }

  @Override
  public List<String> parkingNames(CutoverPlan plan) {
    return sentryNames(plan.swaps().stream().map(CutoverPlan.Swap::table).toList());
  }

  /**
   * The order in which the rename requests the tables' metadata locks: by the bytes of their names (the server sorts
   * lock requests by key), so the tables are released in the order the rename queues on them.
   */
  static List<Integer> lockOrder(List<CutoverPlan.Swap> swaps) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < swaps.size(); i++) {
      order.add(i);
    }
    order.sort((x, y) -> Arrays.compareUnsigned(swaps.get(x).table().getBytes(StandardCharsets.UTF_8),
        swaps.get(y).table().getBytes(StandardCharsets.UTF_8)));
    return order;
  }

  /**
   * One sentry per table, each a name that sorts after every table's, so that the rename, which requests its locks in
   * name order, reaches every table before any sentry (which stays locked until the end). For one table it is
   * {@code <table>_spirit_swap}; for several, {@code <last>_spirit_swap<n>} after the table that sorts last (names
   * compared in lower case too, where the server may fold them).
   */
  static List<String> sentryNames(List<String> tables) {
    if (tables.size() == 1) {
      return List.of(sentryName(tables.get(0), SUFFIX));
    }
    String last = tables.stream().map(t -> t.toLowerCase(Locale.ROOT))
        .max((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)))
        .orElseThrow();
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= tables.size(); i++) {
      String name = sentryName(last, SUFFIX + i);
      if (names.contains(name) || tables.contains(name)) {
        throw new SpiritException(ErrorCode.UNSUPPORTED_TABLE, "refusing to migrate " + tables + " together: the"
            + " MariaDB cutover needs sentry tables whose names sort after every table's, and they do not fit in 64"
            + " characters; migrate the tables with shorter names first");
      }
      names.add(name);
    }
    return names;
  }

  /**
   * A name that sorts after {@code table}: the table's name and the suffix, or for a name too long for that, the
   * table's name with one character replaced by a greater one ({@code ~}) and cut to fit.
   */
  static String sentryName(String table, String suffix) {
    if (table.codePointCount(0, table.length()) + suffix.length() <= Identifiers.MAX_NAME) {
      return table + suffix;
    }
    String marker = "~" + suffix.substring(1);
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

  private static void createSentries(Connection c, CutoverPlan plan, List<String> sentries) throws SQLException {
    for (String sentry : sentries) {
      createSentry(c, plan, sentry);
    }
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
  private static QueueProbe awaitQueuedOn(CutoverPlan plan, String table, Connection watcher, Future<?> rename,
      ExecutorService sessions) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + plan.database().lockWaitTimeout().toNanos() / 2;
    while (System.nanoTime() < deadline) {
      failIfEnded(rename);
      QueueProbe probe = new QueueProbe(plan, table, sessions);
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
    throw new SQLException("the rename of " + plan.quoted(table) + " never queued for the table's own lock"
        + " (another session held a new table or a name the rename takes first)");
  }

  /** {@code SELECT 1 FROM t LIMIT 0} on a session of its own, with a 1 s metadata-lock wait. */
  private static final class QueueProbe implements AutoCloseable {
    private final Connection connection;
    private final long session;
    private final String sql;
    private final Future<?> select;

    QueueProbe(CutoverPlan plan, String table, ExecutorService sessions) throws SQLException {
      connection = plan.database().connect();
      try (Statement s = connection.createStatement()) {
        s.execute("SET SESSION lock_wait_timeout = 1");
        session = LockAndRenameCutover.connectionId(connection);
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      sql = "SELECT 1 FROM " + plan.quoted(table) + " LIMIT 0";
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
