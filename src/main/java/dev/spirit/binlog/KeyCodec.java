package dev.spirit.binlog;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Column;
import dev.spirit.table.TableInfo;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads primary keys out of binlog row images and writes them back as SQL literals that name exactly that row.
 *
 * <p>Each key value is kept in one canonical form per type, the same however the row changed: integers, YEAR, BIT,
 * ENUM (its index) and SET (its bit mask) as numbers, DECIMAL as its exact decimal, FLOAT and DOUBLE as the exact
 * value of the binary double, DATE, DATETIME and TIME as the text the server prints ({@link ExactCells}), TIMESTAMP
 * as microseconds since the epoch, strings and binaries as their stored bytes. The literals are exact too: strings
 * as hex bytes with their character set introducer ({@code _utf8mb4 X'…'}), so no conversion can alter a key and the
 * column's collation decides equality; ENUM, SET and BIT as numbers, which the server compares by index or value;
 * floating point in exponent form, which the server reads as the same double.
 */
public final class KeyCodec {
  private static final Pattern BINARY_WIDTH = Pattern.compile("^binary\\((\\d+)\\)");
  private static final DateTimeFormatter UTC_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
      .withZone(ZoneOffset.UTC);

  private final String table;
  private final List<Column> key;
  private final int[] positions;
  private final boolean utcSessions;

  /** For sessions in UTC, as the run's are unless {@link dev.spirit.db.Database#inServerTimeZone} is used. */
  public KeyCodec(TableInfo table) {
    this(table, true);
  }

  /** @param utcSessions whether the sessions that run the literals are in UTC (else in the server's time zone) */
  public KeyCodec(TableInfo table, boolean utcSessions) {
    this.table = table.name();
    this.key = table.primaryKey();
    this.positions = key.stream().mapToInt(c -> c.ordinal() - 1).toArray();
    this.utcSessions = utcSessions;
    for (Column c : key) {
      if (!supported(c)) {
        throw new SpiritException(ErrorCode.UNSUPPORTED_TABLE, "refusing to copy " + table.quotedName()
            + " online: its primary key column `" + c.name() + "` is of type " + c.columnType() + ", which spirit"
            + " cannot name exactly in a binlog change; only integer, DECIMAL, FLOAT, DOUBLE, date and time, YEAR,"
            + " ENUM, SET, BIT, CHAR/VARCHAR and BINARY/VARBINARY key columns are. Change the key, or use a blocking"
            + " ALTER (migrate) or a dump and restore (move) for this table.");
      }
    }
  }

  public List<Column> columns() {
    return key;
  }

  static boolean supported(Column c) {
    return c.isInteger() || switch (c.dataType()) {
      case "char", "varchar", "binary", "varbinary", "decimal", "numeric", "float", "double", "real", "date",
          "datetime", "timestamp", "time", "year", "enum", "set", "bit" -> true;
      default -> false;
    };
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

  private Object decode(Column column, Serializable value) {
    if (value == null) {
      throw new SpiritException(ErrorCode.BINLOG_FAILED, "a row of `" + table + "` in the binlog has NULL in"
          + " primary key column `" + column.name() + "`");
    }
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
    return switch (column.dataType()) {
      case "decimal", "numeric" -> new BigDecimal(value.toString()).stripTrailingZeros();
      case "float", "double", "real" -> new BigDecimal(((Number) value).doubleValue()).stripTrailingZeros();
      case "date", "datetime", "time" -> (String) value;
      case "timestamp", "year", "enum", "set", "bit" -> ((Number) value).longValue();
      default -> bytes(column, value);
    };
  }

  private static RowKey.Bytes bytes(Column column, Serializable value) {
    byte[] bytes = value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8);
    Matcher m = BINARY_WIDTH.matcher(column.columnType());
    if (m.find() && bytes.length < Integer.parseInt(m.group(1))) {
      // The binlog drops BINARY(N)'s trailing zero bytes; the stored value keeps them.
      bytes = Arrays.copyOf(bytes, Integer.parseInt(m.group(1)));
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

  String literal(Column column, Object value) {
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
    return switch (column.dataType()) {
      case "float", "double", "real" -> ((BigDecimal) value).toPlainString() + "E0";
      case "decimal", "numeric" -> ((BigDecimal) value).toPlainString();
      case "date", "datetime", "time" -> "'" + value + "'";
      case "timestamp" -> timestamp((Long) value);
      default -> value.toString();
    };
  }

  /**
   * A TIMESTAMP is an instant; a literal is read in the session's zone. In UTC sessions the instant's UTC text names
   * it exactly; in the server's zone FROM_UNIXTIME does, where the zone repeats no hour (checked before the run).
   */
  private String timestamp(long micros) {
    if (micros == 0) {
      return "'0000-00-00 00:00:00'";
    }
    Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
    if (utcSessions) {
      return "'" + UTC_DATETIME.format(instant) + "'";
    }
    return "FROM_UNIXTIME(" + BigDecimal.valueOf(micros, 6).toPlainString() + ")";
  }
}
