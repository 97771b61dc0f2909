package dev.spirit.binlog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The keys of rows changed since the subscription started and not yet applied. A row changed many times is one
 * entry: the applier re-reads its current state from the source, so only "which rows" matters, never "which
 * images" or in what order.
 */
public final class ChangeBuffer {
  private final Set<RowKey> pending = new LinkedHashSet<>();
  private long received;

  public synchronized void add(RowKey key) {
    pending.add(key);
    received++;
  }

  /** How many key changes arrived in all (a key changed twice counts twice). */
  public synchronized long received() {
    return received;
  }

  public synchronized int size() {
    return pending.size();
  }

  /**
   * Removes and returns the pending keys that {@code ready} accepts; the others stay for a later drain.
   */
  public synchronized List<RowKey> drain(Predicate<RowKey> ready) {
    List<RowKey> out = new ArrayList<>();
    var it = pending.iterator();
    while (it.hasNext()) {
      RowKey key = it.next();
      if (ready.test(key)) {
        out.add(key);
        it.remove();
      }
    }
    return out;
  }

  /** Puts keys back after a failed apply, so nothing is lost when a flush is retried. */
  public synchronized void restore(List<RowKey> keys) {
    pending.addAll(keys);
  }

  /** Drops keys the copier will read later anyway (above its high watermark). */
  public synchronized int discard(Predicate<RowKey> skippable) {
    int before = pending.size();
    pending.removeIf(skippable);
    return before - pending.size();
  }
}
