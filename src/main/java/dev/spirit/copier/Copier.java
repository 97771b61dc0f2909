package dev.spirit.copier;

import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Retry;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the source table into the new table, one primary-key range per statement, on {@code threads} workers.
 *
 * <p>The copy runs on the server: {@code INSERT IGNORE INTO new (…) SELECT … FROM source WHERE <range>}. Under READ
 * COMMITTED with row-based binlogging InnoDB reads the source as a consistent read, so the copy takes no row locks
 * on the source. IGNORE keeps rows the change applier already wrote; because the session's sql_mode is not strict,
 * every conversion the new definition would make lossy arrives as a warning, and every warning but a duplicate key
 * stops the copy.
 */
public final class Copier {
  private static final Logger LOG = LoggerFactory.getLogger(Copier.class);

  private final DataSource pool;
  private final Chunker chunker;
  private final String insertSql;
  private final int threads;
  private final Set<String> duplicateKeys = ConcurrentHashMap.newKeySet();

  /** @param priority the CPU priority of the copy's statements on the server */
  public Copier(DataSource pool, Chunker chunker, TableInfo target, ColumnMapping mapping, int threads,
      BackgroundPriority priority) {
    this.pool = pool;
    this.chunker = chunker;
    this.threads = threads;
    this.insertSql = copySql(chunker.table(), target, mapping, priority);
  }

  /**
   * The statement that copies one range, up to its {@code WHERE}: the range condition is appended. Shared with the
   * checksum's repair, so a repaired chunk is copied exactly as the first time.
   */
  public static String copySql(TableInfo source, TableInfo target, ColumnMapping mapping,
      BackgroundPriority priority) {
    return priority.after("INSERT") + "IGNORE INTO " + target.quotedName() + " (" + mapping.targetList() + ") SELECT "
        + mapping.sourceList() + " FROM " + source.quotedName() + " FORCE INDEX (PRIMARY) WHERE ";
  }

  /**
   * Unique keys other than the primary key on which the copy met duplicates. Not proof of bad data: a row the
   * applier has not yet moved may hold the value for a moment. The checksum decides.
   */
  public Set<String> duplicateKeys() {
    return Set.copyOf(duplicateKeys);
  }

  /** Copies every chunk; returns when all are in, or throws on the first failure after stopping the workers. */
  public void run(BooleanSupplier cancelled) {
    ExecutorService workers = Executors.newFixedThreadPool(threads, Workers.daemons("copy-worker"));
    AtomicBoolean stop = new AtomicBoolean();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(workers.submit(() -> {
          work(() -> stop.get() || cancelled.getAsBoolean());
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          stop.set(true);
          throw SpiritException.of(e.getCause(), "copying rows");
        }
      }
    } catch (InterruptedException e) {
      stop.set(true);
      Thread.currentThread().interrupt();
      throw new SpiritException(ErrorCode.INTERRUPTED, "copy interrupted");
    } finally {
      stop.set(true);
      Workers.stop(workers);
    }
  }

  private void work(BooleanSupplier stop) throws SQLException {
    while (!stop.getAsBoolean()) {
      Chunk chunk = chunker.next();
      if (chunk == null) {
        return;
      }
      long started = System.nanoTime();
      long rows = copy(chunk);
      chunker.completed(chunk, rows, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** Copies one chunk and returns the number of rows written; a lost deadlock is retried (the copy is idempotent). */
  public long copy(Chunk chunk) throws SQLException {
    return Retry.onLockConflict("copying " + chunk, () -> copyOnce(chunk));
  }

  private long copyOnce(Chunk chunk) throws SQLException {
    String sql = insertSql + chunk.condition(chunker.key());
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      chunk.bind(ps, 1);
      int rows = ps.executeUpdate();
      for (SqlWarning w : SqlWarning.fetch(c)) {
        if (w.isPrimaryKeyDuplicate()) {
          continue;
        }
        if (w.code() == SqlWarning.DUPLICATE_ENTRY) {
          duplicateKeys.add(w.duplicateKeyName());
          continue;
        }
        throw w.asDataLoss(chunker.table().quotedName());
      }
      return rows;
    }
  }


}
