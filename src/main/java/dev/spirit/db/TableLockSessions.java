package dev.spirit.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session per table, each holding {@code LOCK TABLES t READ}: writers are kept out of every table while other
 * sessions read them and write elsewhere (the checksum's drain, the cutover's), and the tables can be let go one by
 * one (the cutover's rename takes them in order).
 *
 * <p>Taking the locks must never hold one table while waiting for another: an application transaction that has
 * written one table and goes on to write another would then wait for this run while this run waits for it. One
 * session with {@code LOCK TABLES a, b} is such a cycle, and the server's deadlock detector resolves it by failing
 * the application's transaction (error 1213), never the lock. So every table's lock is requested at once, each on
 * its own session; while some are still waiting after {@link #PATIENCE}, the ones granted are released and asked for
 * again, which lets any transaction that waits for them finish. The locks are all held together in the end, or the
 * attempt fails when lock_wait_timeout has passed, with nothing held.
 */
public final class TableLockSessions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TableLockSessions.class);
  static final Duration PATIENCE = Duration.ofMillis(50);

  private final Database database;
  private final List<TableName> tables;
  private final List<String> quotedTables;
  private final List<Connection> sessions = new ArrayList<>();
  private final ExecutorService requests;

  /** @param tables the tables, in the order their locks should be let go */
  public TableLockSessions(Database database, List<TableName> tables) throws SQLException {
    this.database = database;
    this.tables = List.copyOf(tables);
    this.quotedTables = tables.stream().map(TableName::quoted).toList();
    this.requests = Executors.newFixedThreadPool(tables.size(), Workers.daemons("cutover-table-lock"));
    try {
      for (int i = 0; i < tables.size(); i++) {
        sessions.add(database.connect());
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  /**
   * Holds every table's read lock, or throws with none held.
   *
   * <p>The sessions that keep the locks from being granted are ended near the end of the wait when the database
   * {@link Database#blockers can}; a failure names the ones that were not.
   *
   * @param lockWaitTimeout how long the whole acquisition may take; each request is bounded by it too
   * @param purpose what the locks are for, as the log names it ("the checksum's lock")
   * @throws SQLException the server's error, or a timeout (1205) once {@code lockWaitTimeout} has passed
   */
  public void lockAll(Duration lockWaitTimeout, String purpose) throws SQLException, InterruptedException {
    try (MetadataLockBlockers.Watch watch = database.blockers().watch(tables, lockWaitTimeout, purpose)) {
      try {
        acquire(lockWaitTimeout);
      } catch (SQLException e) {
        throw watch.explain(e);
      }
    }
  }

  private void acquire(Duration lockWaitTimeout) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + lockWaitTimeout.toNanos();
    List<Future<?>> pending = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      pending.add(request(i));
    }
    boolean done = false;
    int releases = 0;
    try {
      long roundStart = System.nanoTime();
      while (true) {
        int granted = 0;
        for (Future<?> f : pending) {
          if (f.isDone()) {
            join(f);
            granted++;
          }
        }
        if (granted == pending.size()) {
          done = true;
          if (releases > 0) {
            LOG.info("the cutover's table locks were let go {} time(s) for transactions that waited for them",
                releases);
          }
          return;
        }
        long now = System.nanoTime();
        if (now > deadline) {
          throw new SQLException("could not lock " + String.join(", ", quotedTables) + " together"
              + " within " + lockWaitTimeout.toSeconds() + " s", "HY000", 1205);
        }
        if (granted > 0 && now - roundStart > PATIENCE.toNanos()) {
          // Someone may be waiting for a table this run holds while holding one it waits for: let go and ask again.
          for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).isDone()) {
              unlock(i);
              pending.set(i, request(i));
            }
          }
          releases++;
          roundStart = now;
        }
        Thread.sleep(1);
      }
    } finally {
      if (!done) {
        pending.forEach(f -> Workers.awaitQuietly(f, lockWaitTimeout.plusSeconds(5), "a cutover table lock"));
        unlockAll();
      }
    }
  }

  private Future<?> request(int i) {
    return requests.submit(() -> {
      try (Statement s = sessions.get(i).createStatement()) {
        s.execute("LOCK TABLES " + quotedTables.get(i) + " READ");
      }
      return null;
    });
  }

  private static void join(Future<?> f) throws SQLException, InterruptedException {
    try {
      f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof SQLException sql ? sql
          : new SQLException("locking a table failed: " + e.getCause(), e.getCause());
    }
  }

  /** Lets go of one table: the session's statement has ended, so this returns at once. */
  public void unlock(int i) throws SQLException {
    try (Statement s = sessions.get(i).createStatement()) {
      s.execute("UNLOCK TABLES");
    }
  }

  /** Lets go of every table; a session that is gone has had its lock released by the server already. */
  public void unlockAll() {
    for (int i = 0; i < sessions.size(); i++) {
      try {
        unlock(i);
      } catch (SQLException e) {
        LOG.debug("unlocking a table's lock session failed (the server released its lock with it)", e);
      }
    }
  }

  @Override
  public void close() {
    requests.shutdownNow();
    for (Connection c : sessions) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a cutover lock session failed", e);
      }
    }
  }
}
