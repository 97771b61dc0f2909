package dev.spirit.table;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Hands out consecutive primary-key ranges of a table, in key order, and tracks which have been completed.
 *
 * <p>Each boundary is found by the server itself ({@code ORDER BY pk LIMIT 1 OFFSET n} on the primary key), so the
 * same code serves integer, composite, string and temporal keys, dense or sparse. Chunks may complete out of order;
 * the low watermark is the upper bound of the longest completed prefix.
 *
 * <p>Thread-safe: copy workers call {@link #next} and {@link #completed} concurrently.
 */
public final class Chunker {
  private final DataSource dataSource;
  private final TableInfo table;
  private final ChunkSizer sizer;
  private final List<Column> key;
  private final String boundaryFirstSql;
  private final String boundaryNextSql;

  /** One hand-out at a time: each range starts where the previous one ends. */
  private final ReentrantLock handOut = new ReentrantLock();
  private List<Object> nextLower;
  private boolean exhausted;
  private long nextId;
  private long completedPrefix = -1;
  private List<Object> lowWatermark;
  private boolean allCompleted;
  private final TreeMap<Long, Chunk> completedOutOfOrder = new TreeMap<>();
  private long rowsCopied;

  public Chunker(DataSource dataSource, TableInfo table, ChunkSizer sizer) {
    this(dataSource, table, sizer, null);
  }

  /**
   * A chunker that continues a copy whose keys below {@code resumeFrom} are already in the new table (from a
   * checkpoint): the first range starts there, and the low watermark starts there too. Null starts from the first key.
   */
  public Chunker(DataSource dataSource, TableInfo table, ChunkSizer sizer, List<Object> resumeFrom) {
    this.dataSource = dataSource;
    this.table = table;
    this.sizer = sizer;
    this.key = table.primaryKey();
    if (key.isEmpty()) {
      throw new IllegalArgumentException(table.quotedName() + " has no primary key");
    }
    String columns = key.stream().map(Column::quotedName).collect(Collectors.joining(", "));
    String bounds = key.stream().map(Chunker::boundaryExpression).collect(Collectors.joining(", "));
    String from = "SELECT " + bounds + " FROM " + table.quotedName() + " FORCE INDEX (PRIMARY) ";
    this.boundaryFirstSql = from + "ORDER BY " + columns + " LIMIT 1 OFFSET ?";
    this.boundaryNextSql = from + "WHERE " + KeyComparison.tupleCondition(key, ">=") + " ORDER BY " + columns
        + " LIMIT 1 OFFSET ?";
    if (resumeFrom != null) {
      this.nextLower = new ArrayList<>(resumeFrom);
      this.lowWatermark = new ArrayList<>(resumeFrom);
    }
  }

  /**
   * How a key column's value is read to bound a range. Bounds are compared in SQL ({@code k >= ?}) against the order
   * the scan walks ({@code ORDER BY k}): ENUM, SET and BIT compare by their number only when given a number, so they
   * are read as numbers; temporal values are read as the server's own text, which no driver conversion can shift.
   */
  static String boundaryExpression(Column c) {
    return switch (c.dataType()) {
      case "enum", "set", "bit", "year" -> c.quotedName() + " + 0";
      case "date", "datetime", "timestamp", "time" -> "CAST(" + c.quotedName() + " AS CHAR)";
      default -> c.quotedName();
    };
  }

  /**
   * The upper bound of the longest completed prefix of ranges: every key below it has been copied. Null before the
   * first range completes (or once the last one has: then {@link #isComplete} says everything was copied).
   */
  public synchronized List<Object> lowWatermark() {
    return lowWatermark == null ? null : List.copyOf(lowWatermark);
  }

  public List<Column> key() {
    return key;
  }

  public TableInfo table() {
    return table;
  }

  /**
   * The next range to copy, or null when the whole table has been handed out. Ranges follow one another, so callers
   * take turns ({@link #handOut}); the boundary query runs outside this object's monitor, which the change applier's
   * watermark checks take.
   */
  public Chunk next() throws SQLException {
    handOut.lock();
    try {
      List<Object> lower;
      synchronized (this) {
        if (exhausted) {
          return null;
        }
        lower = nextLower;
      }
      long rows = sizer.rowsPerChunk();
      List<Object> upper = findBoundary(lower, rows);
      synchronized (this) {
        Chunk chunk = new Chunk(nextId++, lower, upper, rows);
        if (upper == null) {
          exhausted = true;
        }
        nextLower = upper;
        return chunk;
      }
    } finally {
      handOut.unlock();
    }
  }

  private List<Object> findBoundary(List<Object> lower, long offset) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(lower == null ? boundaryFirstSql : boundaryNextSql)) {
      int index = 1;
      if (lower != null) {
        index = KeyComparison.bindTuple(ps, index, lower);
      }
      ps.setLong(index, offset);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        List<Object> boundary = new ArrayList<>(key.size());
        for (int i = 1; i <= key.size(); i++) {
          Object v = rs.getObject(i);
          // A float's exact value, so the bound the server reads back is the same number, however it is printed.
          boundary.add(v instanceof Float || v instanceof Double ? new BigDecimal(((Number) v).doubleValue()) : v);
        }
        return boundary;
      }
    }
  }

  /** Records that a chunk's rows are in the new table; moves the watermark when the completed prefix grows. */
  public synchronized void completed(Chunk chunk, long rows, Duration elapsed) {
    sizer.feedback(chunk.plannedRows(), rows, elapsed);
    rowsCopied += rows;
    completedOutOfOrder.put(chunk.id(), chunk);
    while (completedOutOfOrder.containsKey(completedPrefix + 1)) {
      Chunk next = completedOutOfOrder.remove(completedPrefix + 1);
      completedPrefix++;
      lowWatermark = next.upper();
      if (next.isLast()) {
        allCompleted = true;
      }
    }
  }

  /** Whether every chunk, up to the open-ended last one, has completed. */
  public synchronized boolean isComplete() {
    return allCompleted;
  }

  /** How many chunks {@link #next} has handed out. */
  public synchronized long chunksHandedOut() {
    return nextId;
  }

  public synchronized long rowsCopied() {
    return rowsCopied;
  }

  /** Whether every range has been handed out (the last one is open-ended). */
  public synchronized boolean allHandedOut() {
    return exhausted;
  }

  /**
   * Where the ranges not handed out yet begin; empty while nothing has been handed out, when every key is beyond the
   * copier's reach. Meaningful only before {@link #allHandedOut}.
   */
  public synchronized Optional<List<Object>> nextLowerBound() {
    return nextLower == null ? Optional.empty() : Optional.of(List.copyOf(nextLower));
  }

  /**
   * Whether no chunk handed out so far covers this integer key: the copier will read the row later, in a statement
   * that starts after this call. Only for all-integer keys.
   */
  public synchronized boolean isBeyondHighWatermarkIntegerKey(List<?> keyValues) {
    if (exhausted) {
      return false;
    }
    if (nextLower == null) {
      return true; // nothing handed out yet, from the first key
    }
    return KeyComparison.compareIntegerTuples(keyValues, nextLower) >= 0;
  }

  /**
   * Whether the row with this integer key has certainly been copied: its whole range completed. Only for tables
   * whose key is all integers ({@link TableInfo#hasIntegerPrimaryKey}).
   */
  public synchronized boolean isCopiedIntegerKey(List<?> keyValues) {
    if (allCompleted) {
      return true;
    }
    if (lowWatermark == null) {
      return false;
    }
    return KeyComparison.compareIntegerTuples(keyValues, lowWatermark) < 0;
  }
}
