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
 * The snapshots of a pass over tables copied to another server. The source tables are locked for reading (one session
 * per table, {@link TableLockSessions}), every pending change is applied to the target, and then every worker's
 * snapshot starts on both servers: nothing but the drain writes the target tables, and it has finished, so each
 * target snapshot sees exactly what its source snapshot sees. Then the sources are unlocked. Sessions are connected
 * before the lock, so the application's writes wait only for the drain and the snapshot starts.
 */
public final class CrossServerSnapshots implements SnapshotSource {
  private static final Logger LOG = LoggerFactory.getLogger(CrossServerSnapshots.class);

  private final Database source;
  private final Database target;
  private final List<TableInfo> sources;
  private final ChangeDrain drain;

  public CrossServerSnapshots(Database source, Database target, List<TableInfo> sources, ChangeDrain drain) {
    this.source = source;
    this.target = target;
    this.sources = List.copyOf(sources);
    this.drain = drain;
  }

  @Override
  public Opened open(int workers) throws SQLException, InterruptedException {
    drain.catchUp();
    List<Snapshot> snapshots = new ArrayList<>();
    String names = sources.stream().map(TableInfo::quotedName).collect(Collectors.joining(", "));
    try (Connection reader = source.connect();
        TableLockSessions locks = new TableLockSessions(source, sources.stream().map(TableInfo::quotedName)
            .toList())) {
      for (int i = 0; i < workers; i++) {
        Connection s = source.connect();
        Connection t;
        try {
          t = target.connect();
        } catch (SQLException | RuntimeException e) {
          s.close();
          throw e;
        }
        snapshots.add(new Snapshot(s, t));
        for (Connection c : List.of(s, t)) {
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          c.setAutoCommit(false);
        }
      }
      locks.lockAll(source.lockWaitTimeout());
      long lockedAt = System.nanoTime();
      long heldMillis;
      try {
        drain.drainUnderLock(reader);
        for (Snapshot snapshot : snapshots) {
          for (Connection c : List.of(snapshot.source(), snapshot.target())) {
            try (Statement st = c.createStatement()) {
              st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            }
          }
        }
      } finally {
        locks.unlockAll();
        heldMillis = (System.nanoTime() - lockedAt) / 1_000_000;
        LOG.info("writes to {} held for {} ms to start the checksum's snapshots on both servers", names, heldMillis);
      }
      return new Opened(snapshots, heldMillis);
    } catch (SQLException | RuntimeException | InterruptedException e) {
      snapshots.forEach(Snapshot::close);
      throw e;
    }
  }
}
