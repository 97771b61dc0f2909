package dev.spirit.table;

import dev.spirit.db.SqlWarning;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rows of a table carried from one server to a table of the same definition on another: read with one SELECT,
 * written in multi-row INSERTs. Values travel as the bytes the server stores, never through a Java type: strings as
 * their bytes in the column's own character set ({@code CAST(… AS BINARY)}, written back as binary strings, which
 * the target takes as bytes of the column's character set, unconverted, or where those bytes are valid UTF-8 of a
 * UTF-8 column as the text they encode, which the server stores as the same bytes), numbers, temporal values and BIT
 * as the text or bytes the text protocol sends (temporal values as the server's own text), which the target parses
 * back to the same value. The exceptions are the values
 * whose text form is not exact: FLOAT and DOUBLE travel as the shortest decimal that reads back as the same double
 * ({@code CAST(… AS DOUBLE)}, rounded back to a FLOAT by the target exactly), and JSON as text in utf8mb4 (a JSON
 * column refuses binary strings). Generated columns are left to the target, which computes them.
 *
 * <p>Both sessions must run in UTC (TIMESTAMP text is rendered in the session's zone) and with a sql_mode that
 * accepts every stored value (zero dates) and keeps a 0 in an AUTO_INCREMENT column; the sessions of
 * {@link dev.spirit.db.Database} do both. Any warning the target raises while writing, other than a duplicate of
 * the primary key under INSERT IGNORE, means a value would change, and fails the write.
 */
public final class RowTransfer {
  /** Rows per INSERT at most, and bytes: a statement well below any max_allowed_packet. */
  static final int BATCH_ROWS = 1000;
  static final long BATCH_BYTES = 1 << 20;

  private final TableInfo source;
  private final TableInfo target;
  private final List<Column> columns;
  /** Per column: text in a UTF-8 character set, written as a string literal rather than hex. */
  private final boolean[] utf8Text;
  private final String select;
  private final String columnList;

  /** @param target a table with the same stored columns, looked up by name */
  public RowTransfer(TableInfo source, TableInfo target) {
    this.source = source;
    this.target = target;
    this.columns = source.storedColumns();
    this.utf8Text = new boolean[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      utf8Text[i] = isUtf8Text(columns.get(i));
    }
    List<String> exprs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Column c : columns) {
      exprs.add(readExpression(c));
      names.add(c.quotedName());
    }
    this.select = "SELECT " + String.join(", ", exprs) + " FROM " + source.quotedName();
    this.columnList = String.join(", ", names);
  }

  public TableInfo source() {
    return source;
  }

  public TableInfo target() {
    return target;
  }

  /** How one column is read so that its value reaches the target unchanged. */
  static String readExpression(Column c) {
    String name = c.quotedName();
    if (c.isText()) {
      return "CAST(" + name + " AS BINARY)";
    }
    return switch (c.dataType()) {
      case "float" -> "CAST(" + name + " AS DOUBLE)";
      // The server's text, not the driver's reading of it: Connector/J drops the sign of TIME '-00:00:00.000001'
      // and reads YEAR 0 so that it is written back as 2000.
      case "date", "datetime", "timestamp", "time", "year" -> "CAST(" + name + " AS CHAR)";
      case "json" -> "CAST(" + name + " AS CHAR CHARACTER SET utf8mb4)";
      default -> name;
    };
  }

  private static boolean isUtf8Text(Column c) {
    String charset = c.charset() == null ? "" : c.charset().toLowerCase(Locale.ROOT);
    return c.isText() && (charset.equals("utf8mb4") || charset.equals("utf8mb3") || charset.equals("utf8"));
  }

  /**
   * Whether a column's value travels as text (a quoted literal): JSON, and every number and temporal value. Bytes are
   * written as a hex literal, which MySQL reads as an integer in a numeric context, so those must be text.
   */
  private boolean isText(int index) {
    return switch (columns.get(index).dataType().toLowerCase(Locale.ROOT)) {
      case "json", "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float",
          "double", "real", "date", "datetime", "timestamp", "time", "year" -> true;
      default -> false;
    };
  }

  /** The SELECT of the rows a condition (a WHERE clause without the keyword) takes, in key order. */
  public String selectSql(String condition) {
    return select + " WHERE " + condition;
  }

  /** One row as it travels: a value per stored column, null for SQL NULL. */
  public record Row(Object[] values, long bytes) {}

  /** Reads every row the statement's result holds. */
  public List<Row> read(ResultSet rs) throws SQLException {
    List<Row> rows = new ArrayList<>();
    while (rs.next()) {
      rows.add(row(rs));
    }
    return rows;
  }

  /** The current row of a result of {@link #selectSql}. */
  public Row row(ResultSet rs) throws SQLException {
    Object[] values = new Object[columns.size()];
    long bytes = 16;
    for (int i = 0; i < values.length; i++) {
      if (isText(i)) {
        String s = rs.getString(i + 1);
        values[i] = s;
        bytes += s == null ? 1 : s.length() * 2L;
      } else {
        byte[] b = rs.getBytes(i + 1);
        values[i] = b;
        bytes += b == null ? 1 : b.length;
      }
    }
    return new Row(values, bytes);
  }

  /** Reads the rows of one condition on the source; {@code bind} fills its placeholders. */
  public List<Row> read(Connection source, String condition, Binder bind) throws SQLException {
    try (PreparedStatement ps = source.prepareStatement(selectSql(condition))) {
      bind.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return read(rs);
      }
    }
  }

  /** Fills a statement's placeholders. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement ps) throws SQLException;

    static Binder none() {
      return ps -> { };
    }
  }

  /** The rows in batches of at most {@link #BATCH_ROWS} rows and about {@link #BATCH_BYTES} bytes. */
  public static List<List<Row>> batches(List<Row> rows) {
    List<List<Row>> batches = new ArrayList<>();
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < rows.size(); i++) {
      bytes += rows.get(i).bytes();
      if (i + 1 - from >= BATCH_ROWS || bytes >= BATCH_BYTES) {
        batches.add(rows.subList(from, i + 1));
        from = i + 1;
        bytes = 0;
      }
    }
    if (from < rows.size()) {
      batches.add(rows.subList(from, rows.size()));
    }
    return batches;
  }

  /**
   * Writes rows to the target in one statement.
   *
   * @param ignoreExisting INSERT IGNORE: a row whose primary key is already there is kept as it is (the copy, where
   *     the change applier may have written a newer version first); otherwise a duplicate fails the statement
   * @return the rows inserted
   * @throws SQLException as the server reports it; a duplicate of another unique key under {@code ignoreExisting}
   *     is an error too, since it would drop a row
   */
  public int write(Connection target, List<Row> rows, boolean ignoreExisting) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    String sql = insertSql(rows, ignoreExisting);
    int inserted;
    try (Statement st = target.createStatement()) {
      inserted = st.executeUpdate(sql);
    }
    for (SqlWarning w : SqlWarning.fetch(target)) {
      if ((ignoreExisting && w.isPrimaryKeyDuplicate()) || isEnumErrorValue(w, rows)) {
        continue;
      }
      if (w.code() == SqlWarning.DUPLICATE_ENTRY) {
        throw new SQLException("a row of " + source.quotedName() + " was refused by " + this.target.quotedName()
            + " as a duplicate of unique key " + w.duplicateKeyName() + ": " + w.message(), "23000",
            SqlWarning.DUPLICATE_ENTRY);
      }
      throw new SpiritException(ErrorCode.DATA_LOSS_PREVENTED, "writing rows of " + source.quotedName() + " to "
          + this.target.quotedName() + " would change a value (" + w + "); the run stopped and "
          + source.quotedName() + " is unchanged. Compare the two tables' definitions and the server's sql_mode.");
    }
    return inserted;
  }

  /**
   * The multi-row INSERT as one statement text, its values as literals: byte strings as hex ({@code X'…'}), the bytes
   * of UTF-8 text as the text ({@link SqlLiterals#appendUtf8}), other text as a quoted string escaped as
   * {@code mysql_real_escape_string} does (the sessions' sql_mode never has NO_BACKSLASH_ESCAPES), NULL as NULL.
   * That is what Connector/J sends for a client-side prepared statement too, but its per-value binding and escaping
   * was most of a move's CPU, which on a small host competes with both servers.
   */
  String insertSql(List<Row> rows, boolean ignoreExisting) {
    // Sized for the longest the text can be, so that it is never copied while it grows.
    long chars = 64 + columnList.length() + this.target.quotedName().length();
    for (Row row : rows) {
      chars += 4;
      for (Object v : row.values()) {
        chars += 2 + (v == null ? 4 : v instanceof String text ? 2 + 2L * text.length()
            : 3 + 2L * ((byte[]) v).length);
      }
    }
    StringBuilder sql = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 64, chars));
    sql.append(ignoreExisting ? "INSERT IGNORE INTO " : "INSERT INTO ").append(this.target.quotedName()).append(" (")
        .append(columnList).append(") VALUES ");
    for (int r = 0; r < rows.size(); r++) {
      sql.append(r == 0 ? "(" : ", (");
      Object[] values = rows.get(r).values();
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          sql.append(", ");
        }
        Object v = values[i];
        if (v == null) {
          sql.append("NULL");
        } else if (v instanceof String text) {
          SqlLiterals.appendQuoted(sql, text);
        } else if (utf8Text[i]) {
          SqlLiterals.appendUtf8(sql, (byte[]) v);
        } else {
          SqlLiterals.appendHex(sql, (byte[]) v);
        }
      }
      sql.append(')');
    }
    return sql.toString();
  }

  /**
   * Whether a warning is the ENUM error value written as itself: an ENUM holds '' (index 0) when a permissive sql_mode
   * took a value outside its list, and the only way to write that value again, as '' or as 0, raises 1265 on both
   * servers while storing exactly it.
   */
  private boolean isEnumErrorValue(SqlWarning w, List<Row> rows) {
    SqlWarning.Truncation t = w.truncation();
    if (t == null || t.row() < 1 || t.row() > rows.size()) {
      return false;
    }
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      if (c.name().equals(t.column()) && c.dataType().equalsIgnoreCase("enum")) {
        return rows.get(t.row() - 1).values()[i] instanceof byte[] b && b.length == 0;
      }
    }
    return false;
  }

  /**
   * In one transaction on the target: deletes what {@code condition} selects there, then inserts {@code rows} (read
   * from the source for the same condition), so the target's rows for it become the source's. A duplicate of a unique
   * key rolls it all back and is thrown (1062).
   */
  public void replace(Connection target, String condition, Binder bind, List<Row> rows) throws SQLException {
    target.setAutoCommit(false);
    try (PreparedStatement delete = target.prepareStatement("DELETE FROM " + this.target.quotedName() + " WHERE "
        + condition)) {
      bind.bind(delete);
      delete.executeUpdate();
      for (List<Row> batch : batches(rows)) {
        write(target, batch, false);
      }
      target.commit();
    } catch (SQLException | RuntimeException e) {
      target.rollback();
      throw e;
    } finally {
      target.setAutoCommit(true);
    }
  }

  /** The stored columns, in the order their values travel. */
  public List<Column> columns() {
    return columns;
  }
}
