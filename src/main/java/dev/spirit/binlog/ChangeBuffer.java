package dev.spirit.binlog;

import dev.spirit.db.BinlogPosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The keys of rows changed since the subscription started and not yet applied. A row changed many times is one
 * entry: the applier re-reads its current state from the source, so only "which rows" matters, never "which
 * images" or in what order.
 *
 * <p>Each key carries the binlog position where the transaction of its oldest unapplied change starts. A key the
 * applier has drained stays "in flight" with that position until the applier either commits its refresh
 * ({@link #committed}) or puts it back ({@link #restore}); so {@link #oldestUnapplied} covers every change that is
 * not yet in the new table, which is what a checkpoint's binlog position must not pass.
 *
 * <p>Bounded: at {@link #capacity} keys (pending and in flight) {@link #add} waits until the applier has taken some,
 * which holds the binlog reader back (the server keeps the binlog; the reader catches up later). Costs do not grow
 * with the number of keys: with a key order (integer keys) pending keys are sorted, so the keys below a bound or from a
 * bound on are taken in O(k log n); positions are counted in a sorted index, so the oldest is O(log n).
 */
public final class ChangeBuffer {
  /** What one pending key costs at most, measured (dev.spirit.bench.ChangeBufferMemory): 111 B integer, 169 B text. */
  static final int BYTES_PER_KEY = 200;

  /**
   * Keys held at most by default: a fifth of the heap at {@link #BYTES_PER_KEY}, between 100,000 and 2,000,000 keys
   * (about 90 MB of a 512 MB heap).
   */
  public static int defaultCapacity() {
    long fifth = Runtime.getRuntime().maxMemory() / 5 / BYTES_PER_KEY;
    return (int) Math.max(100_000, Math.min(2_000_000, fifth));
  }

  private final Map<RowKey, BinlogPosition> pending;
  private final Map<RowKey, BinlogPosition> inFlight = new HashMap<>();
  /** How many pending or in-flight keys carry each position. */
  private final TreeMap<BinlogPosition, Integer> positions = new TreeMap<>(ChangeBuffer::compare);
  private final int capacity;
  private long received;
  private boolean unbounded;

  /** Keys in arrival order, unbounded: for tests and small tools. */
  public ChangeBuffer() {
    this(null, Integer.MAX_VALUE);
  }

  /**
   * @param keyOrder the server's order of the keys when Java can compute it (integer keys), else null
   * @param capacity how many keys may be held before {@link #add} waits
   */
  public ChangeBuffer(Comparator<RowKey> keyOrder, int capacity) {
    this.pending = keyOrder == null ? new LinkedHashMap<>() : new TreeMap<>(keyOrder);
    this.capacity = capacity;
  }

  /**
   * Records a changed key; {@code transactionStart} is where the binlog transaction holding the change starts. Waits
   * while the buffer is full.
   */
  public synchronized void add(RowKey key, BinlogPosition transactionStart) throws InterruptedException {
    while (!unbounded && pending.size() + inFlight.size() >= capacity && !pending.containsKey(key)) {
      wait(1000);
    }
    count(transactionStart, 1);
    keepEarliest(pending, key, transactionStart);
    received++;
  }

  /**
   * While a table lock keeps writers out, every change up to the server's position must reach the buffer before the
   * lock's drain, and what is left to read is small: the bound must not stall the reader then.
   */
  public synchronized void setUnbounded(boolean unbounded) {
    this.unbounded = unbounded;
    notifyAll();
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

  /** Takes up to {@code max} pending keys (the oldest arrivals first); they are in flight until settled. */
  public synchronized List<RowKey> drain(int max) {
    return take(pending, max);
  }

  /** Takes the pending keys below {@code bound} (exclusive), in key order; only for a buffer with a key order. */
  public synchronized List<RowKey> drainBelow(RowKey bound, int max) {
    return take(sorted().headMap(bound, false), max);
  }

  /** Takes the pending keys from {@code bound} on (inclusive); only for a buffer with a key order. */
  public synchronized List<RowKey> drainFrom(RowKey bound, int max) {
    return take(sorted().tailMap(bound, true), max);
  }

  private List<RowKey> take(Map<RowKey, BinlogPosition> view, int max) {
    List<RowKey> out = new ArrayList<>(Math.min(max, view.size()));
    Iterator<Map.Entry<RowKey, BinlogPosition>> it = view.entrySet().iterator();
    while (out.size() < max && it.hasNext()) {
      takeInFlight(it, out);
    }
    notifyAll(); // room for a waiting add
    return out;
  }

  private NavigableMap<RowKey, BinlogPosition> sorted() {
    if (pending instanceof TreeMap<RowKey, BinlogPosition> tree) {
      return tree;
    }
    throw new IllegalStateException("a change buffer without a key order cannot take keys by bound");
  }

  private void takeInFlight(Iterator<Map.Entry<RowKey, BinlogPosition>> it, List<RowKey> out) {
    Map.Entry<RowKey, BinlogPosition> e = it.next();
    out.add(e.getKey());
    keepEarliest(inFlight, e.getKey(), e.getValue()); // drained before and changed again: one entry in flight
    it.remove();
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
        keepEarliest(pending, key, position);
      }
    }
  }

  /** The keys' refreshes are committed in the new table (or the copier will read them): no longer in flight. */
  public synchronized void committed(List<RowKey> keys) {
    for (RowKey key : keys) {
      BinlogPosition position = inFlight.remove(key);
      if (position != null) {
        count(position, -1);
      }
    }
    notifyAll();
  }

  /**
   * The start of the oldest transaction with a change not yet in the new table: the minimum over pending and
   * in-flight keys; empty when there is none.
   */
  public synchronized Optional<BinlogPosition> oldestUnapplied() {
    return positions.isEmpty() ? Optional.empty() : Optional.of(positions.firstKey());
  }

  /**
   * Puts {@code key} at a counted {@code position} into {@code map}; when the map holds the key already, one entry is
   * kept, at the earlier position, and the other position's count is given up.
   */
  private void keepEarliest(Map<RowKey, BinlogPosition> map, RowKey key, BinlogPosition position) {
    BinlogPosition there = map.get(key);
    if (there == null) {
      map.put(key, position);
    } else if (compare(position, there) < 0) {
      map.put(key, position);
      count(there, -1);
    } else {
      count(position, -1);
    }
  }

  private void count(BinlogPosition position, int delta) {
    positions.merge(position, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  static BinlogPosition earlier(BinlogPosition a, BinlogPosition b) {
    return compare(a, b) <= 0 ? a : b;
  }

  private static int compare(BinlogPosition a, BinlogPosition b) {
    return BinlogCoordinates.compare(a.file(), a.position(), b.file(), b.position());
  }
}
