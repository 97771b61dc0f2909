package dev.spirit.checksum;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.copier.Copier;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Database;
import dev.spirit.db.Retry;
import dev.spirit.db.Workers;
import dev.spirit.db.SqlWarning;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Chunk;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies that the new table holds exactly the source's rows, repairing ranges that differ, until one full pass
 * finds no difference.
 *
 * <p>A pass locks both tables briefly ({@code LOCK TABLES source READ, new WRITE}, bounded by lock_wait_timeout),
 * drains every pending change into the new table, starts one consistent-snapshot transaction per worker and
 * unlocks. All snapshots therefore see both tables at the same moment, when they must be equal. Workers then
 * compare each key range's row count and {@code BIT_XOR} of row CRCs in their snapshots while the application writes
 * on. A range that differs is re-copied after the pass, in a transaction, and the pass is repeated. Only a pass
 * without differences counts.
 */
public final class Checksummer {
  private static final Logger LOG = LoggerFactory.getLogger(Checksummer.class);
  static final int MAX_PASSES = 3;

  private final Database database;
  private final DataSource pool;
  private final TableInfo source;
  private final TableInfo target;
  private final ChangeDrain drain;
  private final int threads;
  private final long chunkRows;
  private final String sourceSql;
  private final String targetSql;
  private final String repairSql;
  private final AtomicLong rowsChecked = new AtomicLong();
  private final Set<String> duplicateKeys = new TreeSet<>();
  private long longestWriteHoldMillis;

  /**
   * @param chunkRows how many rows one compared range holds at first (the chunker sizes ranges by rows here)
   * @param priority the CPU priority of the comparing reads, which run in snapshots opened and released before them;
   *     repairs and everything under the table lock keep normal priority
   */
  public Checksummer(Database database, DataSource pool, TableInfo source, TableInfo target, ColumnMapping mapping,
      ChangeDrain drain, int threads, long chunkRows, BackgroundPriority priority) {
    this.database = database;
    this.pool = pool;
    this.source = source;
    this.target = target;
    this.drain = drain;
    this.threads = threads;
    this.chunkRows = chunkRows;
    // Each is completed by appending a range condition; identifiers may hold any character, '%' included.
    this.sourceSql = priority.after("SELECT") + "COUNT(*), COALESCE(BIT_XOR("
        + ChecksumExpressions.sourceRowHash(mapping) + "), 0) FROM " + source.quotedName()
        + " FORCE INDEX (PRIMARY) WHERE ";
    this.targetSql = priority.after("SELECT") + "COUNT(*), COALESCE(BIT_XOR("
        + ChecksumExpressions.targetRowHash(mapping) + "), 0) FROM " + target.quotedName()
        + " FORCE INDEX (PRIMARY) WHERE ";
    this.repairSql = Copier.copySql(source, target, mapping, BackgroundPriority.normal("repair"));
  }

  /** Rows compared so far in the current pass, for progress. */
  public long rowsChecked() {
    return rowsChecked.get();
  }

  public ChecksumResult run(BooleanSupplier cancelled) throws SQLException, InterruptedException {
    long repaired = 0;
    longestWriteHoldMillis = 0;
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
      rowsChecked.set(0);
      Chunker chunker = new Chunker(pool, source, new ChunkSizer(chunkRows, 1, Duration.ofSeconds(5)));
      List<Chunk> differing = comparePass(chunker, cancelled);
      if (differing.isEmpty()) {
        return new ChecksumResult(rowsChecked.get(), chunker.chunksHandedOut(), repaired, pass,
            longestWriteHoldMillis);
      }
      LOG.warn("checksum pass {} found {} differing range(s) in {}; repairing them", pass, differing.size(),
          target.quotedName());
      for (Chunk chunk : differing) {
        repair(chunker, chunk);
        repaired++;
      }
    }
    String why = duplicateKeys.isEmpty()
        ? "the new table kept differing from the source after " + MAX_PASSES + " passes and repairs"
        : "the source has rows with duplicate values for the new unique key(s) " + duplicateKeys
            + "; make the values unique or drop UNIQUE from the ALTER";
    throw new SpiritException(ErrorCode.CHECKSUM_FAILED, "checksum of " + source.quotedName() + " failed: " + why
        + ". Nothing was renamed; " + source.quotedName() + " is unchanged.");
  }

  private List<Chunk> comparePass(Chunker chunker, BooleanSupplier cancelled)
      throws SQLException, InterruptedException {
    List<Connection> snapshots = openSnapshots();
    ExecutorService workers = Executors.newFixedThreadPool(threads, Workers.daemons("checksum-worker"));
    ConcurrentLinkedQueue<Chunk> differing = new ConcurrentLinkedQueue<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Connection snapshot : snapshots) {
        futures.add(workers.submit(() -> {
          for (Chunk chunk = chunker.next(); chunk != null && !cancelled.getAsBoolean(); chunk = chunker.next()) {
            if (!sameContent(snapshot, chunker, chunk)) {
              differing.add(chunk);
            }
            chunker.completed(chunk, 0, Duration.ZERO);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof SQLException sql) {
            throw sql;
          }
          if (e.getCause() instanceof SpiritException spirit) {
            throw spirit;
          }
          throw new SpiritException(ErrorCode.INTERNAL, "checksum worker failed: " + e.getCause(), e.getCause());
        }
      }
      if (cancelled.getAsBoolean()) {
        throw new SpiritException(ErrorCode.INTERRUPTED, "checksum interrupted");
      }
    } finally {
      Workers.stop(workers);
      for (Connection c : snapshots) {
        closeQuietly(c);
      }
    }
    return new ArrayList<>(differing);
  }

  /**
   * Opens one session per worker, then locks the tables, drains pending changes, starts every session's snapshot and
   * unlocks. Only the drain and the snapshot starts run under the lock: connecting (a TLS handshake and
   * authentication each) happens before it, so the application's writes wait for as little as possible. The source
   * is locked for reading only, so the application's reads go on; the new table is locked for writing because the
   * drain writes it through the lock's own session.
   */
  private List<Connection> openSnapshots() throws SQLException, InterruptedException {
    drain.catchUp();
    List<Connection> snapshots = new ArrayList<>();
    try (Connection lock = database.connect(); Statement s = lock.createStatement()) {
      for (int i = 0; i < threads; i++) {
        Connection snapshot = database.connect();
        snapshots.add(snapshot);
        snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        snapshot.setAutoCommit(false);
      }
      s.execute("LOCK TABLES " + source.quotedName() + " READ, " + target.quotedName() + " WRITE");
      long lockedAt = System.nanoTime();
      try {
        drain.drainUnderLock(lock);
        for (Connection snapshot : snapshots) {
          try (Statement st = snapshot.createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
          }
        }
      } finally {
        s.execute("UNLOCK TABLES");
        long heldMillis = (System.nanoTime() - lockedAt) / 1_000_000;
        longestWriteHoldMillis = Math.max(longestWriteHoldMillis, heldMillis);
        LOG.info("writes to {} held for {} ms to start the checksum's snapshots", source.quotedName(), heldMillis);
      }
    } catch (SQLException | RuntimeException | InterruptedException e) {
      snapshots.forEach(Checksummer::closeQuietly);
      throw e;
    }
    return snapshots;
  }

  private boolean sameContent(Connection snapshot, Chunker chunker, Chunk chunk) throws SQLException {
    Sum a = sum(snapshot, sourceSql, chunker, chunk);
    Sum b = sum(snapshot, targetSql, chunker, chunk);
    rowsChecked.addAndGet(a.rows());
    return a.equals(b);
  }

  /** A chunk's row count and the XOR of its rows' hashes (an unsigned 64-bit value, kept as its digits). */
  private record Sum(long rows, String hash) {}

  private static Sum sum(Connection c, String sql, Chunker chunker, Chunk chunk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql + chunk.condition(chunker.key()))) {
      chunk.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Sum(rs.getLong(1), rs.getString(2));
      }
    }
  }

  /** Re-copies one range in a single transaction; a lost deadlock rolls it back and runs it again. */
  private void repair(Chunker chunker, Chunk chunk) throws SQLException {
    Retry.onLockConflict("repairing " + chunk, () -> {
      repairOnce(chunker, chunk);
      return null;
    });
  }

  private void repairOnce(Chunker chunker, Chunk chunk) throws SQLException {
    String condition = chunk.condition(chunker.key());
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + target.quotedName() + " WHERE "
              + condition);
          PreparedStatement copy = c.prepareStatement(repairSql + condition)) {
        chunk.bind(delete, 1);
        delete.executeUpdate();
        chunk.bind(copy, 1);
        copy.executeUpdate();
        for (SqlWarning w : SqlWarning.fetch(c)) {
          if (w.code() == SqlWarning.DUPLICATE_ENTRY && !w.isPrimaryKeyDuplicate()) {
            synchronized (duplicateKeys) {
              duplicateKeys.add(w.duplicateKeyName());
            }
          } else if (!w.isPrimaryKeyDuplicate()) {
            throw w.asDataLoss(source.quotedName());
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Ends a snapshot's transaction and closes it; a snapshot left open would hold its metadata locks. */
  private static void closeQuietly(Connection c) {
    try (c) {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException e) {
      LOG.debug("closing a checksum snapshot failed", e);
    }
  }
}
