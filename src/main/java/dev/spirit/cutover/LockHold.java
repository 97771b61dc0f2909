package dev.spirit.cutover;

import org.slf4j.Logger;

/**
 * How long a cutover kept the application's writes out, split into the last changes and the swap itself, so that a
 * long hold in the log says which side was slow: a backlog of changes (spirit's side), or the server's own swap.
 */
final class LockHold {
  private final long lockedAt = System.nanoTime();
  private long finishedAt;
  private int refreshed;

  /** The last changes, {@code refreshed} keys, are in the new table; the swap comes next. */
  void finished(int refreshed) {
    this.finishedAt = System.nanoTime();
    this.refreshed = refreshed;
  }

  /**
   * Called once the lock is released: logs the hold and its parts.
   *
   * @param swap what the rest of the hold was spent on, e.g. "renaming"
   * @return the whole hold in milliseconds
   */
  long released(Logger log, String swap) {
    long now = System.nanoTime();
    if (finishedAt == 0) {
      log.info("tables locked for {} ms during cutover", (now - lockedAt) / 1_000_000);
    } else {
      log.info("tables locked for {} ms during cutover ({} ms applying the last {} changed rows, {} ms {})",
          (now - lockedAt) / 1_000_000, (finishedAt - lockedAt) / 1_000_000, refreshed,
          (now - finishedAt) / 1_000_000, swap);
    }
    return (now - lockedAt) / 1_000_000;
  }
}
