package dev.spirit.binlog;

import dev.spirit.db.BinlogPosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The keys of rows changed since the subscription started and not yet applied. A row changed many times is one
 * entry: the applier re-reads its current state from the source, so only "which rows" matters, never "which
 * images" or in what order.
 *
 * <p>Each key carries the binlog position where the transaction of its oldest unapplied change starts. A key the
 * applier has drained stays "in flight" with that position until the applier either commits its refresh
 * ({@link #committed}) or puts it back ({@link #restore}); so {@link #oldestUnapplied} covers every change that is
 * not yet in the new table, which is what a checkpoint's binlog position must not pass.
 */
public final class ChangeBuffer {
  private final Map<RowKey, BinlogPosition> pending = new LinkedHashMap<>();
  private final Map<RowKey, BinlogPosition> inFlight = new HashMap<>();
  private long received;

  /** Records a changed key; {@code transactionStart} is where the binlog transaction holding the change starts. */
  public synchronized void add(RowKey key, BinlogPosition transactionStart) {
    pending.merge(key, transactionStart, ChangeBuffer::earlier);
    received++;
  }

  /** How many key changes arrived in all (a key changed twice counts twice). */
  public synchronized long received() {
    return received;
  }

  /** Keys waiting to be applied (not counting those in flight). */
  public synchronized int size() {
    return pending.size();
  }

  /** Keys drained and neither committed nor restored yet. */
  public synchronized int inFlight() {
    return inFlight.size();
  }

  /**
   * Removes and returns the pending keys that {@code ready} accepts; they are in flight until {@link #committed} or
   * {@link #restore}d. The others stay for a later drain.
   */
  public synchronized List<RowKey> drain(Predicate<RowKey> ready) {
    List<RowKey> out = new ArrayList<>();
    var it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<RowKey, BinlogPosition> e = it.next();
      if (ready.test(e.getKey())) {
        out.add(e.getKey());
        inFlight.merge(e.getKey(), e.getValue(), ChangeBuffer::earlier);
        it.remove();
      }
    }
    return out;
  }

  /**
   * Puts in-flight keys back after a failed or deferred apply, with their positions, so nothing is lost when a flush
   * is retried. Keys not in flight (already committed or already restored) are left as they are: a committed key's
   * change is in the new table.
   */
  public synchronized void restore(List<RowKey> keys) {
    for (RowKey key : keys) {
      BinlogPosition position = inFlight.remove(key);
      if (position != null) {
        pending.merge(key, position, ChangeBuffer::earlier);
      }
    }
  }

  /** The keys' refreshes are committed in the new table (or the copier will read them): no longer in flight. */
  public synchronized void committed(List<RowKey> keys) {
    for (RowKey key : keys) {
      inFlight.remove(key);
    }
  }

  /** Drops keys the copier will read later anyway (above its high watermark). */
  public synchronized int discard(Predicate<RowKey> skippable) {
    int before = pending.size();
    pending.keySet().removeIf(skippable);
    return before - pending.size();
  }

  /**
   * The start of the oldest transaction with a change not yet in the new table: the minimum over pending and
   * in-flight keys; empty when there is none.
   */
  public synchronized Optional<BinlogPosition> oldestUnapplied() {
    BinlogPosition oldest = null;
    for (BinlogPosition p : pending.values()) {
      oldest = oldest == null ? p : earlier(oldest, p);
    }
    for (BinlogPosition p : inFlight.values()) {
      oldest = oldest == null ? p : earlier(oldest, p);
    }
    return Optional.ofNullable(oldest);
  }

  static BinlogPosition earlier(BinlogPosition a, BinlogPosition b) {
    return BinlogCoordinates.compare(a.file(), a.position(), b.file(), b.position()) <= 0 ? a : b;
  }
}
