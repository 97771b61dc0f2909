package dev.spirit.copier;

import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Chunk;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import dev.spirit.throttle.Throttler;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Copies source tables into their new tables, one primary-key range per statement, on {@code threads} workers shared
 * by every table. Each worker takes its next range from the table that has progressed least (rows copied against
 * its estimate), as upstream does, so that the tables of one run progress together and none holds up the cutover
 * alone.
 */
public final class Copier {
  private final List<RangeCopy> tables;
  private final int threads;
  private final Throttler throttler;

  public Copier(List<RangeCopy> tables, int threads) {
    this(tables, threads, Throttler.NONE);
  }

  /** @param throttler asked before every range: while it says wait, no worker starts one */
  public Copier(List<RangeCopy> tables, int threads, Throttler throttler) {
    this.tables = List.copyOf(tables);
    this.threads = threads;
    this.throttler = throttler;
  }

  /** A copy of one table on its own server. */
  public Copier(DataSource pool, Chunker chunker, TableInfo target, ColumnMapping mapping, int threads,
      BackgroundPriority priority) {
    this(List.of(new InsertSelectCopy(pool, chunker, target, mapping, priority)), threads);
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
    Set<String> all = new TreeSet<>();
    tables.forEach(t -> all.addAll(t.duplicateKeys()));
    return all;
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

  private void work(BooleanSupplier stop) throws SQLException, InterruptedException {
    while (!stop.getAsBoolean()) {
      throttler.awaitClear(stop);
      if (stop.getAsBoolean()) {
        return;
      }
      RangeCopy table = leastProgressed();
      if (table == null) {
        return;
      }
      Chunk chunk = table.chunker().next();
      if (chunk == null) {
        continue; // another worker took the last range meanwhile
      }
      long started = System.nanoTime();
      long rows = table.copy(chunk);
      table.chunker().completed(chunk, rows, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** The table with ranges left to hand out whose copy is least far along; null when all are handed out. */
  private RangeCopy leastProgressed() {
    RangeCopy least = null;
    double leastDone = Double.MAX_VALUE;
    for (RangeCopy t : tables) {
      if (t.chunker().allHandedOut()) {
        continue;
      }
      double done = (double) t.chunker().rowsCopied() / Math.max(1, t.estimatedRows());
      if (done < leastDone) {
        least = t;
        leastDone = done;
      }
    }
    return least;
  }
}
