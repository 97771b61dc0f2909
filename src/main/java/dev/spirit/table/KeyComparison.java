package dev.spirit.table;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Comparisons of primary key tuples, in SQL and, for integer keys only, in Java.
 *
 * <p>Tuple comparisons are written out as OR-of-AND terms ({@code a > ? OR (a = ? AND b >= ?)}) rather than row
 * constructors, because the range optimizer uses the former on every server version we support.
 */
public final class KeyComparison {
  private KeyComparison() {}

  /**
   * {@code (k1, k2, …) op (?, ?, …)} for op one of {@code >=, >, <, <=}, expanded. The placeholders appear in the
   * order {@link #bindTuple} binds them.
   */
  static String tupleCondition(List<Column> key, String op) {
    String strict = op.substring(0, 1);
    boolean inclusive = op.endsWith("=");
    List<String> alternatives = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      List<String> terms = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        terms.add(key.get(j).quotedName() + " = ?");
      }
      boolean lastColumn = i == key.size() - 1;
      terms.add(key.get(i).quotedName() + " " + (lastColumn && inclusive ? op : strict) + " ?");
      alternatives.add(terms.size() == 1 ? terms.get(0) : "(" + String.join(" AND ", terms) + ")");
    }
    return "(" + String.join(" OR ", alternatives) + ")";
  }

  /** Binds a tuple for {@link #tupleCondition}: for column i, the values of columns 0..i. */
  static int bindTuple(PreparedStatement ps, int firstIndex, List<Object> tuple) throws SQLException {
    int index = firstIndex;
    for (int i = 0; i < tuple.size(); i++) {
      for (int j = 0; j <= i; j++) {
        ps.setObject(index++, tuple.get(j));
      }
    }
    return index;
  }

  /** How many placeholders {@link #tupleCondition} needs for a key of {@code columns} columns. */
  static int placeholders(int columns) {
    return columns * (columns + 1) / 2;
  }

  /**
   * Compares two integer key tuples as the server orders them. Only for keys whose columns are all integers, where
   * Java's order and the server's agree; other keys are never compared outside the server.
   */
  public static int compareIntegerTuples(List<?> a, List<?> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = toBigInteger(a.get(i)).compareTo(toBigInteger(b.get(i)));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  static BigInteger toBigInteger(Object value) {
    if (value instanceof BigInteger b) {
      return b;
    }
    if (value instanceof Number n) {
      return BigInteger.valueOf(n.longValue());
    }
    throw new IllegalArgumentException("not an integer key value: " + value + " (" + value.getClass() + ")");
  }
}
