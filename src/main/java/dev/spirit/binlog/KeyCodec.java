package dev.spirit.binlog;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Column;
import dev.spirit.table.TableInfo;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads primary keys out of binlog row images and writes them back as SQL literals.
 *
 * <p>Literals are exact: integers in decimal, strings as hex bytes with their character set introducer
 * ({@code _utf8mb4 X'…'}), so no charset conversion or escaping can alter a key on the way back, and the column's
 * own collation decides equality in the server.
 */
public final class KeyCodec {
  private static final Pattern BINARY_WIDTH = Pattern.compile("^binary\\((\\d+)\\)");

  private final String table;
  private final List<Column> key;
  private final int[] positions;

  public KeyCodec(TableInfo table) {
    this.table = table.name();
    this.key = table.primaryKey();
    this.positions = key.stream().mapToInt(c -> c.ordinal() - 1).toArray();
    for (Column c : key) {
      if (!supported(c)) {
        throw new SpiritException(ErrorCode.UNSUPPORTED_TABLE, "refusing to migrate: table " + table.quotedName()
            + " has primary key column `" + c.name() + "` of type " + c.columnType()
            + ", which spirit cannot track through the binlog yet; only integer, CHAR/VARCHAR and BINARY/VARBINARY"
            + " key columns are supported. Use a blocking ALTER for this table, or give it such a key.");
      }
    }
  }

  public List<Column> columns() {
    return key;
  }

  static boolean supported(Column c) {
    return c.isInteger() || switch (c.dataType()) {
      case "char", "varchar", "binary", "varbinary" -> true;
      default -> false;
    };
  }

  /** The key of a full row image (all columns, in table order). */
  public RowKey keyOf(Serializable[] row) {
    List<Object> values = new ArrayList<>(positions.length);
    for (int i = 0; i < positions.length; i++) {
      values.add(decode(key.get(i), row[positions[i]]));
    }
    return new RowKey(values);
  }

  /**
   * The key of a row image that holds only the {@code included} columns, one slot per included column in table order
   * (a session's binlog_row_image=MINIMAL or NOBLOB). A key column the image lacks is taken from {@code unchanged},
   * the same row's other image, when there is one: an after image leaves out the columns an update did not change.
   *
   * @throws SpiritException when a key column is in neither image: the row cannot be identified
   */
  RowKey keyOf(Serializable[] row, BitSet included, RowKey unchanged) {
    List<Object> values = new ArrayList<>(positions.length);
    for (int i = 0; i < positions.length; i++) {
      int column = positions[i];
      if (included.get(column)) {
        values.add(decode(key.get(i), row[included.get(0, column).cardinality()]));
      } else if (unchanged != null) {
        values.add(unchanged.values().get(i));
      } else {
        throw new SpiritException(ErrorCode.BINLOG_FAILED, "a row image of `" + table + "` in the binlog lacks"
            + " primary key column `" + key.get(i).name() + "` (a session wrote it with binlog_row_image=MINIMAL or"
            + " NOBLOB and no other image names the row), so spirit cannot tell which row changed; the run stopped."
            + " Run it again when every session writes binlog_row_image=FULL.");
      }
    }
    return new RowKey(values);
  }

  private static Object decode(Column column, Serializable value) {
    if (column.isInteger()) {
      long v = ((Number) value).longValue();
      if (column.isUnsigned() && v < 0) {
        int bits = switch (column.dataType()) {
          case "tinyint" -> 8;
          case "smallint" -> 16;
          case "mediumint" -> 24;
          case "int", "integer" -> 32;
          default -> 64;
        };
        return BigInteger.valueOf(v).add(BigInteger.ONE.shiftLeft(bits));
      }
      return v;
    }
    byte[] bytes = value instanceof byte[] b ? b : value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Matcher m = BINARY_WIDTH.matcher(column.columnType());
    if (m.find() && bytes.length < Integer.parseInt(m.group(1))) {
      // The binlog drops BINARY(N)'s trailing zero bytes; the stored value keeps them.
      bytes = java.util.Arrays.copyOf(bytes, Integer.parseInt(m.group(1)));
    }
    return new RowKey.Bytes(bytes);
  }

  /** {@code `a` IN (…)} or, for composite keys, {@code (`a` = … AND `b` = …) OR …}; never empty. */
  public String condition(List<RowKey> keys) {
    if (key.size() == 1) {
      StringBuilder sb = new StringBuilder(key.get(0).quotedName()).append(" IN (");
      for (int i = 0; i < keys.size(); i++) {
        sb.append(i == 0 ? "" : ",").append(literal(key.get(0), keys.get(i).values().get(0)));
      }
      return sb.append(')').toString();
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < keys.size(); i++) {
      sb.append(i == 0 ? "(" : " OR (");
      for (int j = 0; j < key.size(); j++) {
        sb.append(j == 0 ? "" : " AND ").append(key.get(j).quotedName()).append(" = ")
            .append(literal(key.get(j), keys.get(i).values().get(j)));
      }
      sb.append(')');
    }
    return sb.append(')').toString();
  }

  static String literal(Column column, Object value) {
    if (column.isInteger() && column.isUnsigned() && column.dataType().equals("bigint")) {
      // A literal above 2^63-1 is a DECIMAL to the parser; mixed with smaller ones in an IN list it turns the
      // comparison into a decimal one and the key index is no longer used. The cast keeps them all integers.
      return "CAST(" + value + " AS UNSIGNED)";
    }
    if (value instanceof RowKey.Bytes b) {
      String hex = "X'" + HexFormat.of().formatHex(b.value()) + "'";
      String charset = column.charset();
      if (charset == null || charset.equalsIgnoreCase("binary")) {
        return hex;
      }
      String introducer = charset.toLowerCase(Locale.ROOT).equals("utf8mb3") ? "utf8" : charset;
      return "_" + introducer + " " + hex;
    }
    return value.toString();
  }

  /**
   * The select list that reads keys back in the form {@link #keyOfResult} takes: text columns as their stored bytes
   * ({@code CAST(… AS BINARY)}), so they come back in the column's own character set, as the binlog has them.
   */
  public String selectList() {
    return key.stream().map(c -> c.isInteger() ? c.quotedName() : "CAST(" + c.quotedName() + " AS BINARY)")
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** A key read back through {@link #selectList}, in the same form as binlog keys. */
  public RowKey keyOfResult(java.sql.ResultSet rs) throws java.sql.SQLException {
    List<Object> values = new ArrayList<>(key.size());
    for (int i = 0; i < key.size(); i++) {
      Column c = key.get(i);
      if (c.isInteger()) {
        Object v = rs.getObject(i + 1);
        values.add(v instanceof BigInteger ? v : ((Number) v).longValue());
      } else {
        values.add(new RowKey.Bytes(rs.getBytes(i + 1)));
      }
    }
    return new RowKey(values);
  }
}
