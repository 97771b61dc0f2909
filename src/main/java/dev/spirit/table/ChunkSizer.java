package dev.spirit.table;

import java.time.Duration;

/**
 * Decides how many rows the next chunk gets. Starts from the byte budget ({@code --target-chunk-size} divided by the
 * average row length) and shrinks when chunks take longer than the time ceiling, so one slow chunk never holds
 * resources for long; it grows back by at most half each step, never beyond the byte budget.
 */
public final class ChunkSizer {
  static final long MIN_ROWS = 100;
  static final long MAX_ROWS = 100_000;

  private final long budgetRows;
  private final Duration ceiling;
  private long rows;

  public ChunkSizer(long targetChunkBytes, long averageRowBytes, Duration ceiling) {
    long perRow = Math.max(1, averageRowBytes);
    this.budgetRows = clamp(targetChunkBytes / perRow);
    this.ceiling = ceiling;
    this.rows = budgetRows;
  }

  public synchronized long rowsPerChunk() {
    return rows;
  }

  /** Feedback from a finished chunk that was planned at {@code plannedRows} and took {@code elapsed}. */
  public synchronized void feedback(long plannedRows, long copiedRows, Duration elapsed) {
    if (plannedRows != rows) {
      return; // sized under an older size; its timing says nothing about the current one
    }
    long millis = Math.max(1, elapsed.toMillis());
    if (millis > ceiling.toMillis()) {
      rows = clamp(rows * ceiling.toMillis() / millis);
    } else {
      rows = clamp(Math.min(budgetRows, rows + rows / 2));
    }
  }

  private static long clamp(long value) {
    return Math.max(MIN_ROWS, Math.min(MAX_ROWS, value));
  }
}
