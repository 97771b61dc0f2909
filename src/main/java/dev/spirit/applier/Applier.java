package dev.spirit.applier;

import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.binlog.KeyCodec;
import dev.spirit.binlog.RowKey;
import dev.spirit.db.Retry;
import dev.spirit.db.ServerFlavor;
import dev.spirit.db.SqlWarning;
import dev.spirit.db.Workers;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Brings the rows of changed keys in the new table up to date with the source.
 *
 * <p>For a batch of keys it deletes their rows from the new table and re-reads the source's current rows into it on
 * the server ({@code INSERT INTO new SELECT … FROM source WHERE key IN (…)}, a consistent read that locks nothing).
 *
 * <p>A binlog event can reach the tool before its transaction is visible to other sessions (the engine commits after
 * the binlog is written). A refresh in that gap would read the old row and, with no later event for the key, leave it
 * stale. So each batch first takes and at once releases shared locks on its keys without waiting ({@code NOWAIT}):
 * while a writer's commit is in flight it still holds its row locks, the probe fails, and the keys wait for the next
 * flush; once the probe succeeds, every transaction that changed those keys is visible. The probe never waits, so it
 * cannot deadlock with the application; it holds its locks only for the length of one point lookup. Re-reading instead of replaying binlog images makes every refresh idempotent and
 * independent of order, so batches run in parallel and a key refreshed twice is merely refreshed twice; it also
 * means values never pass through the tool, so no type can be mangled on the way. Once no one writes the source (the
 * cutover holds its lock), one refresh of every pending key makes the tables equal.
 */
public final class Applier implements ChangeApplier {
  static final int BATCH_KEYS = 1000;
  /**
   * Composite keys are matched with OR-of-AND terms; with a thousand of them MariaDB's optimizer gives up the range
   * scan and reads the whole table, so their batches are smaller.
   */
  static final int COMPOSITE_BATCH_KEYS = 200;

  private final DataSource pool;
  private final ServerFlavor flavor;
  private final TableInfo source;
  private final KeyCodec codec;
  private final ChangeBuffer buffer;
  private final KeyRefresh refresh;
  private final int batchKeys;
  private volatile String lastDuplicate;
  private final ExecutorService workers;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong busy = new AtomicLong();
  private final AtomicLong discarded = new AtomicLong();
  /** Within a flush keys are disjoint; flushes themselves must not overlap ({@link #oneAtATime}). */
  private final ReentrantLock oneFlushAtATime = new ReentrantLock();

  /** An applier whose new table is on the source's server. */
  public Applier(DataSource pool, ServerFlavor flavor, TableInfo source, TableInfo target, ColumnMapping mapping,
      KeyCodec codec, ChangeBuffer buffer, int threads) {
    this(pool, flavor, source, codec, buffer, threads, new SameServerRefresh(source, target, mapping));
  }

  /**
   * @param pool sessions on the source's server: the visibility probes and the reads of the current rows run there
   * @param refresh how a batch of keys is brought up to date in the new table, wherever that is
   */
  public Applier(DataSource pool, ServerFlavor flavor, TableInfo source, KeyCodec codec, ChangeBuffer buffer,
      int threads, KeyRefresh refresh) {
    this.pool = pool;
    this.flavor = flavor;
    this.source = source;
    this.codec = codec;
    this.buffer = buffer;
    this.refresh = refresh;
    this.batchKeys = codec.columns().size() > 1 ? COMPOSITE_BATCH_KEYS : BATCH_KEYS;
    this.workers = Executors.newFixedThreadPool(threads, Workers.daemons("apply-worker"));
  }

  @Override
  public ChangeBuffer buffer() {
    return buffer;
  }

  /** Keys refreshed so far. */
  public long applied() {
    return applied.get();
  }

  /** Which pending keys a flush takes; each call takes at most {@code max}. */
  @FunctionalInterface
  public interface Selection {
    List<RowKey> take(ChangeBuffer buffer, int max);

    /** Every pending key. */
    static Selection all() {
      return ChangeBuffer::drain;
    }

    /** No key: nothing has certainly been copied yet. */
    static Selection none() {
      return (buffer, max) -> List.of();
    }

    /** The keys below {@code bound}: rows the copier has certainly copied (integer keys, a sorted buffer). */
    static Selection below(RowKey bound) {
      return (buffer, max) -> buffer.drainBelow(bound, max);
    }

    /** The keys from {@code bound} on (integer keys, a sorted buffer). */
    static Selection from(RowKey bound) {
      return (buffer, max) -> buffer.drainFrom(bound, max);
    }
  }

  /** How many keys one flush takes at most, so that a flush is never one unbounded statement list. */
  static final int FLUSH_KEYS = 50_000;

  /**
   * Refreshes the pending keys the selection takes, in parallel batches. On failure the batch's keys go back to the
   * buffer and the failure is thrown.
   */
  @Override
  public int flush(Selection selection) throws InterruptedException {
    oneAtATime();
    try {
      return flushExclusively(selection);
    } finally {
      oneFlushAtATime.unlock();
    }
  }

  /** Flushes must not overlap: two could refresh one key at once, and the one that read the older row write last. */
  private void oneAtATime() {
    if (!oneFlushAtATime.tryLock()) {
      throw new IllegalStateException("concurrent flushes could refresh one key twice out of order");
    }
  }

  private int flushExclusively(Selection selection) throws InterruptedException {
    List<RowKey> keys = selection.take(buffer, FLUSH_KEYS);
    List<Future<?>> futures = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += batchKeys) {
      List<RowKey> batch = keys.subList(from, Math.min(keys.size(), from + batchKeys));
      futures.add(workers.submit(() -> {
        try (Connection c = pool.getConnection()) {
          refreshWhenVisible(c, batch);
        } catch (SQLException | RuntimeException e) {
          buffer.restore(batch); // only the keys still in flight: a committed sub-batch is in the new table
          throw e;
        }
        return null;
      }));
    }
    SpiritException first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = SpiritException.of(e.getCause(), "applying changed rows");
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return keys.size();
  }

  /**
   * Drops pending keys the copier has not reached yet: it will read their rows itself, later. A key is dropped only if
   * its change is visible (the NOWAIT probe finds no writer holding it) and, checked after the probe, no range handed
   * to the copier covers it yet; so the copier's statement for it starts after the change became visible. Keys that
   * fail either test stay pending.
   *
   * @param candidates the keys beyond the copier's high watermark as it was read before this call
   * @param notYetDispatched the same test, asked again after the probe
   * @return how many keys were dropped
   */
  public int discardUncopied(Selection candidates, Predicate<RowKey> notYetDispatched) throws SQLException {
    oneAtATime();
    try {
      List<RowKey> taken = candidates.take(buffer, FLUSH_KEYS);
      if (taken.isEmpty()) {
        return 0;
      }
      List<RowKey> visible = new ArrayList<>();
      try (Connection c = pool.getConnection()) {
        for (int from = 0; from < taken.size(); from += batchKeys) {
          probe(c, taken.subList(from, Math.min(taken.size(), from + batchKeys)), visible);
        }
      } catch (SQLException | RuntimeException e) {
        buffer.restore(taken);
        throw e;
      }
      List<RowKey> keep = new ArrayList<>(taken.size() - visible.size());
      List<RowKey> dropped = new ArrayList<>();
      Set<RowKey> visibleSet = new HashSet<>(visible);
      for (RowKey key : taken) {
        if (visibleSet.contains(key) && notYetDispatched.test(key)) {
          dropped.add(key);
        } else {
          keep.add(key);
        }
      }
      buffer.restore(keep);
      buffer.committed(dropped); // the copier reads them later, after their changes became visible
      discarded.addAndGet(dropped.size());
      return dropped.size();
    } finally {
      oneFlushAtATime.unlock();
    }
  }

  /** Adds to {@code visible} the keys no writer holds right now; splits a busy batch down to single keys. */
  private void probe(Connection c, List<RowKey> keys, List<RowKey> visible) throws SQLException {
    if (probeSucceeds(c, keys)) {
      visible.addAll(keys);
    } else if (keys.size() > 1) {
      int half = keys.size() / 2;
      probe(c, keys.subList(0, half), visible);
      probe(c, keys.subList(half, keys.size()), visible);
    }
  }

  /** Keys dropped because the copier will read them. */
  public long discarded() {
    return discarded.get();
  }

  /** Refreshes every pending key on one connection: the one holding the cutover or checksum lock. */
  @Override
  public int flushAll(Connection lockHolder) throws SQLException {
    oneAtATime();
    try {
      return flushAllExclusively(lockHolder);
    } finally {
      oneFlushAtATime.unlock();
    }
  }

  private int flushAllExclusively(Connection lockHolder) throws SQLException {
    List<RowKey> keys = buffer.drain(Integer.MAX_VALUE);
    List<List<RowKey>> pending = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += batchKeys) {
      pending.add(keys.subList(from, Math.min(keys.size(), from + batchKeys)));
    }
    try {
      // A batch refused for a duplicate may only be waiting for another batch to move the value away: retry the
      // refused ones while any batch succeeds. When none can succeed, the source itself holds the duplicates.
      while (!pending.isEmpty()) {
        List<List<RowKey>> refused = new ArrayList<>();
        for (List<RowKey> batch : pending) {
          if (refresh(lockHolder, batch)) {
            buffer.committed(batch);
          } else {
            refused.add(batch);
          }
        }
        if (refused.size() == pending.size()) {
          throw new SpiritException(ErrorCode.DATA_LOSS_PREVENTED, "rows of " + source.quotedName()
              + " hold duplicate values for a unique key of the new definition (" + lastDuplicate + "); nothing was"
              + " renamed and " + source.quotedName() + " is unchanged. Make the values unique, or drop UNIQUE from"
              + " the ALTER.");
        }
        pending = refused;
      }
    } catch (SQLException | RuntimeException e) {
      buffer.restore(keys);
      throw e;
    }
    return keys.size();
  }


  /** Refreshes the keys whose changes are visible; puts back into the buffer those a writer still holds. */
  private void refreshWhenVisible(Connection c, List<RowKey> keys) throws SQLException {
    if (!probeSucceeds(c, keys)) {
      if (keys.size() == 1) {
        buffer.restore(keys);
        busy.incrementAndGet();
        return;
      }
      int half = keys.size() / 2;
      refreshWhenVisible(c, keys.subList(0, half));
      refreshWhenVisible(c, keys.subList(half, keys.size()));
      return;
    }
    if (refresh(c, keys)) {
      buffer.committed(keys);
    } else {
      buffer.restore(keys); // retried later; decided for good under the next table lock
    }
  }

  /**
   * Takes and at once releases shared locks on the keys without waiting: false if a writer holds any of them, which
   * means its commit may not be visible yet.
   */
  private boolean probeSucceeds(Connection c, List<RowKey> keys) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1 FROM " + source.quotedName() + " WHERE "
          + codec.condition(keys) + " " + flavor.sharedLockNowait()).close();
      return true;
    } catch (SQLException e) {
      if (!flavor.isNowaitConflict(e)) {
        throw e;
      }
      return false;
    }
  }

  /** The last duplicate-key refusal seen, for diagnostics. */
  public String lastDuplicateForTests() {
    return lastDuplicate;
  }

  /** Keys put back because a writer held them at the time of the probe. */
  public long busy() {
    return busy.get();
  }

  /**
   * Deletes the keys' rows from the new table and inserts the source's current rows for them. The insert is a plain
   * INSERT, so a row that a new unique key refuses is reported (false), never silently dropped or, as REPLACE would,
   * made to delete another row. Such a refusal may be a moment's staleness (the row holding the value is refreshed
   * later) or a real duplicate in the source; only the lock-time drain can tell, see {@link #flushAll}.
   */
  private boolean refresh(Connection c, List<RowKey> keys) throws SQLException {
    return Retry.onLockConflict("refreshing changed rows", () -> refreshOnce(c, keys));
  }

  private boolean refreshOnce(Connection c, List<RowKey> keys) throws SQLException {
    try {
      refresh.refresh(c, codec.condition(keys));
    } catch (SQLException e) {
      if (e.getErrorCode() == SqlWarning.DUPLICATE_ENTRY) {
        lastDuplicate = e.getMessage();
        return false;
      }
      throw e;
    }
    applied.addAndGet(keys.size());
    return true;
  }



  public void close() {
    Workers.stop(workers);
  }
}
