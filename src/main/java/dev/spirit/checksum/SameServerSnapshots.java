package dev.spirit.checksum;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.db.Database;
import dev.spirit.db.TableLockSessions;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of a pass on one server: one session per worker, then the sources locked, pending changes drained,
 * every session's snapshot started, and the sources unlocked. Only the drain and the snapshot starts run under the
 * lock: connecting (a TLS handshake and authentication each) happens before it, so the application's writes wait
 * for as little as possible. The sources are locked for reading only, so the application's reads go on, one session
 * per table, taken together without holding one while waiting for another ({@link TableLockSessions}: one
 * {@code LOCK TABLES} of several tables would deadlock with a transaction that writes two of them, and the server
 * would fail the transaction). The drain writes the new tables on a session of its own; nothing else writes them
 * meanwhile.
 */
public final class SameServerSnapshots implements SnapshotSource {
  private static final Logger LOG = LoggerFactory.getLogger(SameServerSnapshots.class);

  private final Database database;
  private final List<TableInfo> sources;
  private final ChangeDrain drain;

  /** @param drain the drain over every source's changes */
  public SameServerSnapshots(Database database, List<TableInfo> sources, ChangeDrain drain) {
    this.database = database;
    this.sources = List.copyOf(sources);
    this.drain = drain;
  }

  @Override
  public Opened open(int workers) throws SQLException, InterruptedException {
    drain.catchUp();
    List<Snapshot> snapshots = new ArrayList<>();
    String names = sources.stream().map(TableInfo::quotedName).collect(Collectors.joining(", "));
    try (Connection writer = database.connect();
        TableLockSessions locks = new TableLockSessions(database, sources.stream().map(TableInfo::quotedName)
            .toList())) {
      for (int i = 0; i < workers; i++) {
        Connection session = database.connect();
        snapshots.add(new Snapshot(session, session));
        session.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        session.setAutoCommit(false);
      }
      locks.lockAll(database.lockWaitTimeout());
      long lockedAt = System.nanoTime();
      long heldMillis;
      try {
        drain.drainUnderLock(writer);
        for (Snapshot snapshot : snapshots) {
          try (Statement st = snapshot.source().createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
          }
        }
      } finally {
        locks.unlockAll();
        heldMillis = (System.nanoTime() - lockedAt) / 1_000_000;
        LOG.info("writes to {} held for {} ms to start the checksum's snapshots", names, heldMillis);
      }
      return new Opened(snapshots, heldMillis);
    } catch (SQLException | RuntimeException | InterruptedException e) {
      snapshots.forEach(Snapshot::close);
      throw e;
    }
  }
}
