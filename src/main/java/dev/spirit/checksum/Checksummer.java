package dev.spirit.checksum;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Database;
import dev.spirit.db.Retry;
import dev.spirit.db.TableLockSessions;
import dev.spirit.db.Workers;
import dev.spirit.db.SqlWarning;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies that every new table holds exactly its source's rows, repairing ranges that differ, until one full pass
 * finds no difference in any table.
 *
 * <p>A pass locks every source briefly against writes ({@code LOCK TABLES source READ}, one session per table, all
 * held together, bounded by lock_wait_timeout), drains every pending change into the new tables, starts one
 * consistent-snapshot transaction per worker and unlocks. All snapshots therefore see every table at the same moment, when each pair
 * must be equal. Workers then compare each key range's row count and {@code BIT_XOR} of row hashes in their
 * snapshots while the application writes on, table after table. A range that differs is re-copied after the pass,
 * in a transaction, and the pass is repeated. Only a pass without differences counts.
 */
public final class Checksummer {
  private static final Logger LOG = LoggerFactory.getLogger(Checksummer.class);
  static final int MAX_PASSES = 3;

  private final Database database;
  private final DataSource pool;
  private final List<ChecksumPair> pairs;
  private final ChangeDrain drain;
  private final int threads;
  private final AtomicLong rowsChecked = new AtomicLong();
  private final Set<String> duplicateKeys = new TreeSet<>();
  private long longestWriteHoldMillis;

  /** @param drain the drain over every pair's changes */
  public Checksummer(Database database, DataSource pool, List<ChecksumPair> pairs, ChangeDrain drain, int threads) {
    this.database = database;
    this.pool = pool;
    this.pairs = List.copyOf(pairs);
    this.drain = drain;
    this.threads = threads;
  }

  /** A checksum of one table and its new table; see {@link ChecksumPair} for the parameters. */
  public Checksummer(Database database, DataSource pool, TableInfo source, TableInfo target, ColumnMapping mapping,
      ChangeDrain drain, int threads, long chunkRows, BackgroundPriority priority) {
    this(database, pool, List.of(new ChecksumPair(source, target, mapping, chunkRows, priority)), drain, threads);
  }

  /** Rows compared so far in the current pass, for progress. */
  public long rowsChecked() {
    return rowsChecked.get();
  }

  /** A range of one pair that differed. */
  private record Difference(ChecksumPair pair, Chunker chunker, Chunk chunk) {}

  public ChecksumResult run(BooleanSupplier cancelled) throws SQLException, InterruptedException {
    long repaired = 0;
    longestWriteHoldMillis = 0;
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
      rowsChecked.set(0);
      List<Chunker> chunkers = pairs.stream().map(p -> p.chunker(pool)).toList();
      List<Difference> differing = comparePass(chunkers, cancelled);
      if (differing.isEmpty()) {
        long chunks = chunkers.stream().mapToLong(Chunker::chunksHandedOut).sum();
        return new ChecksumResult(rowsChecked.get(), chunks, repaired, pass, longestWriteHoldMillis);
      }
      LOG.warn("checksum pass {} found {} differing range(s) in {}; repairing them", pass, differing.size(),
          differing.stream().map(d -> d.pair().target().quotedName()).distinct().collect(Collectors.joining(", ")));
      for (Difference d : differing) {
        repair(d);
        repaired++;
      }
    }
    String why = duplicateKeys.isEmpty()
        ? "the new table kept differing from the source after " + MAX_PASSES + " passes and repairs"
        : "the source has rows with duplicate values for the new unique key(s) " + duplicateKeys
            + "; make the values unique or drop UNIQUE from the ALTER";
    String sources = pairs.stream().map(p -> p.source().quotedName()).collect(Collectors.joining(", "));
    throw new SpiritException(ErrorCode.CHECKSUM_FAILED, "checksum of " + sources + " failed: " + why
        + ". Nothing was renamed; " + sources + (pairs.size() == 1 ? " is" : " are") + " unchanged.");
  }

  private List<Difference> comparePass(List<Chunker> chunkers, BooleanSupplier cancelled)
      throws SQLException, InterruptedException {
    List<Connection> snapshots = openSnapshots();
    ExecutorService workers = Executors.newFixedThreadPool(threads, Workers.daemons("checksum-worker"));
    ConcurrentLinkedQueue<Difference> differing = new ConcurrentLinkedQueue<>();
    AtomicInteger current = new AtomicInteger(); // the pair whose ranges are handed out now
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Connection snapshot : snapshots) {
        futures.add(workers.submit(() -> {
          for (int i = current.get(); i < pairs.size() && !cancelled.getAsBoolean(); i = current.get()) {
            Chunker chunker = chunkers.get(i);
            Chunk chunk = chunker.next();
            if (chunk == null) {
              current.compareAndSet(i, i + 1);
              continue;
            }
            if (!sameContent(snapshot, pairs.get(i), chunker, chunk)) {
              differing.add(new Difference(pairs.get(i), chunker, chunk));
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
   * Opens one session per worker, then locks the sources, drains pending changes, starts every session's snapshot
   * and unlocks. Only the drain and the snapshot starts run under the lock: connecting (a TLS handshake and
   * authentication each) happens before it, so the application's writes wait for as little as possible. The sources
   * are locked for reading only, so the application's reads go on, one session per table, taken together without
   * holding one while waiting for another ({@link TableLockSessions}: one {@code LOCK TABLES} of several tables
   * would deadlock with a transaction that writes two of them, and the server would fail the transaction). The
   * drain writes the new tables on a session of its own; nothing else writes them meanwhile.
   */
  private List<Connection> openSnapshots() throws SQLException, InterruptedException {
    drain.catchUp();
    List<Connection> snapshots = new ArrayList<>();
    try (Connection writer = database.connect();
        TableLockSessions locks = new TableLockSessions(database, pairs.stream().map(p -> p.source().quotedName())
            .toList())) {
      for (int i = 0; i < threads; i++) {
        Connection snapshot = database.connect();
        snapshots.add(snapshot);
        snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        snapshot.setAutoCommit(false);
      }
      locks.lockAll(database.lockWaitTimeout());
      long lockedAt = System.nanoTime();
      try {
        drain.drainUnderLock(writer);
        for (Connection snapshot : snapshots) {
          try (Statement st = snapshot.createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
          }
        }
      } finally {
        locks.unlockAll();
        long heldMillis = (System.nanoTime() - lockedAt) / 1_000_000;
        longestWriteHoldMillis = Math.max(longestWriteHoldMillis, heldMillis);
        LOG.info("writes to {} held for {} ms to start the checksum's snapshots",
            pairs.stream().map(p -> p.source().quotedName()).collect(Collectors.joining(", ")), heldMillis);
      }
    } catch (SQLException | RuntimeException | InterruptedException e) {
      snapshots.forEach(Checksummer::closeQuietly);
      throw e;
    }
    return snapshots;
  }

  private boolean sameContent(Connection snapshot, ChecksumPair pair, Chunker chunker, Chunk chunk)
      throws SQLException {
    ChecksumPair.Sum a = pair.sourceSum(snapshot, chunker, chunk);
    ChecksumPair.Sum b = pair.targetSum(snapshot, chunker, chunk);
    rowsChecked.addAndGet(a.rows());
    return a.equals(b);
  }

  /** Re-copies one range in a single transaction; a lost deadlock rolls it back and runs it again. */
  private void repair(Difference d) throws SQLException {
    Retry.onLockConflict("repairing " + d.chunk() + " of " + d.pair().target().quotedName(), () -> {
      repairOnce(d.pair(), d.chunker(), d.chunk());
      return null;
    });
  }

  private void repairOnce(ChecksumPair pair, Chunker chunker, Chunk chunk) throws SQLException {
    String condition = chunk.condition(chunker.key());
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + pair.target().quotedName() + " WHERE "
              + condition);
          PreparedStatement copy = c.prepareStatement(pair.repairSql() + condition)) {
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
            throw w.asDataLoss(pair.source().quotedName());
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
