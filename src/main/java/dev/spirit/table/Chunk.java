package dev.spirit.table;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A range of primary key values, {@code lower <= key < upper} in the server's own key order. A missing bound is
 * open: the first chunk has no lower bound, the last no upper bound. Bounds are key tuples as the driver returned
 * them, bound back as statement parameters so the server compares them with the columns' own collation.
 */
public record Chunk(long id, List<Object> lower, List<Object> upper, long plannedRows) {

  public Chunk {
    lower = lower == null ? null : Collections.unmodifiableList(new ArrayList<>(lower));
    upper = upper == null ? null : Collections.unmodifiableList(new ArrayList<>(upper));
  }

  public boolean isFirst() {
    return lower == null;
  }

  public boolean isLast() {
    return upper == null;
  }

  /** The range as a WHERE condition with {@code ?} placeholders; {@link #bind} fills them in the same order. */
  public String condition(List<Column> key) {
    List<String> parts = new ArrayList<>();
    if (lower != null) {
      parts.add(KeyComparison.tupleCondition(key, ">="));
    }
    if (upper != null) {
      parts.add(KeyComparison.tupleCondition(key, "<"));
    }
    return parts.isEmpty() ? "1=1" : String.join(" AND ", parts);
  }

  /** Binds the bounds for {@link #condition}; returns the next free parameter index. */
  public int bind(PreparedStatement ps, int firstIndex) throws SQLException {
    int index = firstIndex;
    if (lower != null) {
      index = KeyComparison.bindTuple(ps, index, lower);
    }
    if (upper != null) {
      index = KeyComparison.bindTuple(ps, index, upper);
    }
    return index;
  }

  @Override
  public String toString() {
    return "chunk " + id + " [" + (lower == null ? "-inf" : lower) + ", " + (upper == null ? "+inf" : upper) + ")";
  }
}
