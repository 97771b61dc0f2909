package dev.spirit.checksum;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.db.Database;
import dev.spirit.db.TableLockSessions;
import dev.spirit.db.TableName;
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
 * The snapshots of a pass: one session per worker on the sources' server (and one on the new tables' server when it is
 * another), then the sources locked, pending changes drained, every session's snapshot started, and the sources
 * unlocked. Nothing but the drain writes the new tables, and it has finished, so each new-table snapshot sees exactly
 * what its source snapshot sees. Only the drain and the snapshot starts run under the lock: connecting (a TLS
 * handshake and authentication each) happens before it, so the application's writes wait for as little as possible.
 * The sources are locked for reading only, so the application's reads go on, one session per table, taken together
 * without holding one while waiting for another ({@link TableLockSessions}: one {@code LOCK TABLES} of several tables
 * would deadlock with a transaction that writes two of them, and the server would fail the transaction).
 */
public final class LockedSnapshots implements SnapshotSource {
  private static final Logger LOG = LoggerFactory.getLogger(LockedSnapshots.class);

  private final Database source;
  private final Database target;
  private final List<TableInfo> sources;
  private final ChangeDrain drain;

  private LockedSnapshots(Database source, Database target, List<TableInfo> sources, ChangeDrain drain) {
    this.source = source;
    this.target = target;
    this.sources = List.copyOf(sources);
    this.drain = drain;
  }

  /** Sources and new tables on one server: each worker's one session sees both. */
  public static LockedSnapshots sameServer(Database database, List<TableInfo> sources, ChangeDrain drain) {
    return new LockedSnapshots(database, null, sources, drain);
  }

  /** New tables on another server: each worker has a session on each, both started under the sources' lock. */
  public static LockedSnapshots acrossServers(Database source, Database target, List<TableInfo> sources,
      ChangeDrain drain) {
    return new LockedSnapshots(source, target, sources, drain);
  }

  @Override
  public Opened open(int workers) throws SQLException, InterruptedException {
    drain.catchUp();
    List<Snapshot> snapshots = new ArrayList<>();
    String names = sources.stream().map(TableInfo::quotedName).collect(Collectors.joining(", "));
    try (Connection drainSession = source.connect();
        TableLockSessions locks = new TableLockSessions(source, sources.stream()
            .map(t -> new TableName(t.schema(), t.name())).toList())) {
      for (int i = 0; i < workers; i++) {
        snapshots.add(connect());
      }
      locks.lockAll(source.lockWaitTimeout(), "the checksum's lock");
      long lockedAt = System.nanoTime();
      long heldMillis;
      try {
        drain.drainUnderLock(drainSession);
        for (Snapshot snapshot : snapshots) {
          for (Connection c : sessions(snapshot)) {
            try (Statement st = c.createStatement()) {
              st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            }
          }
        }
      } finally {
        locks.unlockAll();
        heldMillis = (System.nanoTime() - lockedAt) / 1_000_000;
        LOG.info("writes to {} held for {} ms to start the checksum's snapshots{}", names, heldMillis,
            target == null ? "" : " on both servers");
      }
      return new Opened(snapshots, heldMillis);
    } catch (SQLException | RuntimeException | InterruptedException e) {
      snapshots.forEach(Snapshot::close);
      throw e;
    }
  }

  private Snapshot connect() throws SQLException {
    Connection s = source.connect();
    Snapshot snapshot;
    try {
      snapshot = new Snapshot(s, target == null ? s : target.connect());
    } catch (SQLException | RuntimeException e) {
      s.close();
      throw e;
    }
    for (Connection c : sessions(snapshot)) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setAutoCommit(false);
    }
    return snapshot;
  }

  private static List<Connection> sessions(Snapshot snapshot) {
    return snapshot.source() == snapshot.target() ? List.of(snapshot.source())
        : List.of(snapshot.source(), snapshot.target());
  }
}
