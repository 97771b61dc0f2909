package dev.spirit.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A table of every column type the tools must carry, the extreme and awkward literals writers put in them, and the
 * random statements over them; and a table of zero and invalid dates written under a permissive sql_mode. Shared by
 * the migrate and move type tests, whose expectations are a mirror table written in the same transactions.
 */
public final class TypeMatrix {
  private TypeMatrix() {}

  public static final String DECIMAL_MAX = "9".repeat(35) + "." + "9".repeat(30);

  /** Stored (non-generated) columns of {@code types} and the SQL literals a writer may put in them. */
  public static final Map<String, List<String>> VALUES = new LinkedHashMap<>();

  static {
    VALUES.put("ti", List.of("-128", "127", "0", "-1", "NULL"));
    VALUES.put("tiu", List.of("0", "255", "1", "NULL"));
    VALUES.put("si", List.of("-32768", "32767", "0", "NULL"));
    VALUES.put("siu", List.of("0", "65535", "NULL"));
    VALUES.put("mi", List.of("-8388608", "8388607", "-1", "NULL"));
    VALUES.put("miu", List.of("0", "16777215", "NULL"));
    VALUES.put("i", List.of("-2147483648", "2147483647", "0", "42", "NULL"));
    VALUES.put("iu", List.of("0", "4294967295", "NULL"));
    VALUES.put("bi", List.of("-9223372036854775808", "9223372036854775807", "0", "NULL"));
    VALUES.put("biu", List.of("0", "18446744073709551615", "9223372036854775808", "9223372036854775807", "NULL"));
    VALUES.put("dc", List.of("-" + DECIMAL_MAX, DECIMAL_MAX, "0.000000000000000000000000000001", "-0.5",
        "12345.678900000000000000000000000000", "NULL"));
    VALUES.put("dc2", List.of("-99999999.99", "99999999.99", "0.01", "NULL"));
    VALUES.put("f", List.of("3.40282e38", "-3.40282e38", "1.17549e-38", "0.1", "-0.0", "16777217", "NULL"));
    VALUES.put("d", List.of("1.7976931348623157e308", "-2.2250738585072014e-308", "5e-324", "0.1", "-0.0",
        "9007199254740993", "NULL"));
    VALUES.put("c", List.of("''", "'é'", "'😀🎉'", "'Ünïcödé'", "'a\\tb'", "'   lead'", "NULL"));
    VALUES.put("vc", List.of("''", "'trailing  '", "'😀 emoji ✓ ñ'", "'quote '' and backslash \\\\'",
        "'日本語テキスト'", "'𝄞 music'", "CONCAT('n', CHAR(0), CHAR(26), '\\r\"\\\\ ')", "NULL"));
    VALUES.put("tx", List.of("''", "REPEAT('ab😀', 300)", "'naïve café'", "'line\\nbreak'", "NULL"));
    VALUES.put("cl", List.of("''", "'café'", "'ÿÄ'", "'x  '", "NULL"));
    VALUES.put("vcl", List.of("''", "'naïve '", "'£ sign'", "NULL"));
    VALUES.put("txl", List.of("''", "'Ümlaut ß'", "REPEAT('é', 1000)", "NULL"));
    VALUES.put("bn", List.of("X''", "X'00'", "X'FF00'", "X'0102030405060708'", "X'0000000000000000'",
        "X'00000000000000FF'", "NULL"));
    VALUES.put("vb", List.of("X''", "X'00'", "X'0000'", "X'DEADBEEF00'", "X'20'", "NULL"));
    VALUES.put("bl", List.of("X''", "X'00FF00FF'", "UNHEX(REPEAT('00FF', 500))", "X'0000'", "NULL"));
    VALUES.put("js", List.of("'{\"a\": 1, \"b\": [true, false, null]}'", "'[1, 2.50, \"é😀\", null]'",
        "'\"plain string\"'", "'null'", "'{}'", "'{\"n\": {\"deep\": [1e300, -0.0, 18446744073709551615]}}'",
        "'{\"k\": \"\\\\u0000 nul and \\\\\" quote\"}'", "NULL"));
    VALUES.put("dt", List.of("'1000-01-01'", "'9999-12-31'", "'2024-02-29'", "NULL"));
    VALUES.put("dtm", List.of("'1000-01-01 00:00:00.000000'", "'9999-12-31 23:59:59.999999'",
        "'2024-02-29 12:34:56.123456'", "'2000-01-01 00:00:00.000001'", "NULL"));
    VALUES.put("ts", List.of("'1970-01-01 00:00:01.000000'", "'2038-01-19 03:14:07.999999'",
        "'2024-03-31 02:30:00.5'", "NULL"));
    VALUES.put("tm", List.of("'-838:59:59.000000'", "'838:59:59.000000'", "'-00:00:00.000001'", "'-12:30:00.5'",
        "'00:00:00'", "NULL"));
    VALUES.put("tm0", List.of("'-838:59:59'", "'00:00:00'", "'-01:02:03'", "'838:59:59'", "NULL"));
    VALUES.put("yr", List.of("1901", "2155", "0", "'00'", "NULL"));
    VALUES.put("b1", List.of("b'0'", "b'1'", "NULL"));
    VALUES.put("b13", List.of("b'1000000000001'", "0", "b'1111111111111'", "NULL"));
    VALUES.put("b64", List.of("X'FFFFFFFFFFFFFFFF'", "X'8000000000000000'", "X'00'", "b'1'", "NULL"));
    VALUES.put("e", List.of("'a'", "'c d'", "'é'", "'b'", "NULL"));
    VALUES.put("st", List.of("''", "'x'", "'x,z'", "'x,y,z'", "NULL"));
  }

  public static final String TYPES_TABLE = "(\n"
      + "  id INT NOT NULL PRIMARY KEY,\n"
      + "  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT,"
      + " miu MEDIUMINT UNSIGNED,\n"
      + "  i INT, gv BIGINT AS (i * 2) VIRTUAL, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,\n"
      + "  dc DECIMAL(65,30), dc2 DECIMAL(10,2), f FLOAT, d DOUBLE,\n"
      + "  c CHAR(12) CHARACTER SET utf8mb4, vc VARCHAR(100) CHARACTER SET utf8mb4, tx TEXT CHARACTER SET utf8mb4,\n"
      + "  cl CHAR(10) CHARACTER SET latin1, vcl VARCHAR(50) CHARACTER SET latin1, txl TEXT CHARACTER SET latin1,\n"
      + "  bn BINARY(8), vb VARBINARY(32), bl BLOB, js JSON,\n"
      + "  dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), tm0 TIME, yr YEAR,\n"
      + "  b1 BIT(1), b13 BIT(13), b64 BIT(64),\n"
      + "  e ENUM('a','b','c d','é') CHARACTER SET utf8mb4, st SET('x','y','z'),\n"
      + "  gs VARCHAR(130) CHARACTER SET utf8mb4 AS (CONCAT(vc, '|', i)) STORED\n"
      + ") DEFAULT CHARSET=utf8mb4";

  public static final List<String> SESSION = List.of("SET SESSION time_zone = '+00:00'");

  static String pick(Random r, List<String> values) {
    return values.get(r.nextInt(values.size()));
  }

  public static String typesRow(Map<String, List<String>> values, Random r, long id) {
    return "(" + id + ", " + values.values().stream().map(v -> pick(r, v)).collect(Collectors.joining(", ")) + ")";
  }

  public static String typesInsert(Map<String, List<String>> values, Random r, long firstId, int rows) {
    List<String> tuples = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      tuples.add(typesRow(values, r, firstId + i));
    }
    return "INSERT INTO {t} (id, " + String.join(", ", values.keySet()) + ") VALUES " + String.join(", ", tuples);
  }

  public static String typesDml(Map<String, List<String>> values, Random r, int initialRows) {
    int op = r.nextInt(20);
    long id = 1 + r.nextInt(initialRows + 600);
    if (op < 5) {
      return "INSERT INTO {t} (id, " + String.join(", ", values.keySet()) + ") VALUES " + typesRow(values, r, id);
    }
    if (op < 14) {
      List<String> names = new ArrayList<>(values.keySet());
      List<String> sets = new ArrayList<>();
      for (int n = 1 + r.nextInt(4); n > 0; n--) {
        String column = names.remove(r.nextInt(names.size()));
        sets.add(column + " = " + pick(r, values.get(column)));
      }
      String where = op == 13 ? "id BETWEEN " + id + " AND " + (id + 3) : "id = " + id;
      return "UPDATE {t} SET " + String.join(", ", sets) + " WHERE " + where;
    }
    if (op < 16) {
      return "UPDATE {t} SET id = " + (1 + r.nextInt(initialRows + 600)) + " WHERE id = " + id;
    }
    return "DELETE FROM {t} WHERE id = " + id;
  }

  /** Creates {@code table} and {@code mirror} of the many-types definition, with the same random rows. */
  public static void createTypes(TestDatabase db, String table, String mirror, Map<String, List<String>> values,
      int rows) throws Exception {
    db.execute("DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + mirror,
        "CREATE TABLE " + table + " " + TYPES_TABLE, "CREATE TABLE " + mirror + " LIKE " + table);
    Random fill = new Random(42);
    for (int from = 1; from <= rows; from += 250) {
      MirroredWriters.executeOnBoth(db, table, mirror, SESSION, typesInsert(values, fill, from, 250));
    }
  }

  /** Zero and partial dates written under a permissive sql_mode, and the ENUM error value ''. */
  public static final List<String> PERMISSIVE = List.of("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'",
      "SET SESSION time_zone = '+00:00'");
  public static final List<String> ZERO_D = List.of("'0000-00-00'", "'2020-00-15'", "'2020-05-00'",
      "'2021-02-31'", "'2024-01-01'", "NULL");
  public static final List<String> ZERO_DT = List.of("'0000-00-00 00:00:00'", "'2020-00-15 10:00:00'",
      "'2021-02-31 23:59:59'", "'2024-01-01 00:00:00'", "NULL");
  public static final List<String> ZERO_DT6 = List.of("'0000-00-00 00:00:00.000000'",
      "'2020-00-00 00:00:00.123456'", "'2020-05-00 01:02:03.5'", "NULL");
  public static final List<String> ZERO_TS = List.of("'0000-00-00 00:00:00'", "'2001-01-01 00:00:00'", "NULL");
  public static final List<String> ZERO_E = List.of("'a'", "'b'", "'not a value'", "NULL");

  public static String zerosRow(Random r, long id) {
    return "(" + id + ", " + pick(r, ZERO_D) + ", " + pick(r, ZERO_DT) + ", " + pick(r, ZERO_DT6) + ", "
        + pick(r, ZERO_TS) + ", " + pick(r, ZERO_E) + ", " + r.nextInt(100) + ")";
  }

  public static String zerosDml(Random r, int initialRows) {
    long id = 1 + r.nextInt(initialRows + 500);
    return switch (r.nextInt(10)) {
      case 0, 1, 2 -> "INSERT INTO {t} (id, d, dt, dt6, ts, e, v) VALUES " + zerosRow(r, id);
      case 3, 4, 5 -> "UPDATE {t} SET d = " + pick(r, ZERO_D) + ", dt6 = " + pick(r, ZERO_DT6) + ", e = "
          + pick(r, ZERO_E) + " WHERE id = " + id;
      case 6 -> "UPDATE {t} SET dt = " + pick(r, ZERO_DT) + ", ts = " + pick(r, ZERO_TS) + ", v = v + 1 WHERE id = "
          + id;
      case 7 -> "UPDATE {t} SET id = " + (1 + r.nextInt(initialRows + 500)) + " WHERE id = " + id;
      default -> "DELETE FROM {t} WHERE id = " + id;
    };
  }

  /** Creates {@code table} and {@code mirror} of zero and invalid dates, with the same random rows. */
  public static void createZeros(TestDatabase db, String table, String mirror, int rows) throws Exception {
    db.execute("DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + mirror,
        "CREATE TABLE " + table + " (id INT NOT NULL PRIMARY KEY, d DATE, dt DATETIME, dt6 DATETIME(6),"
            + " ts TIMESTAMP NULL DEFAULT NULL, e ENUM('a','b'), v INT NOT NULL) DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE " + mirror + " LIKE " + table);
    Random fill = new Random(7);
    for (int from = 1; from <= rows; from += 500) {
      List<String> tuples = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        tuples.add(zerosRow(fill, from + i));
      }
      MirroredWriters.executeOnBoth(db, table, mirror, PERMISSIVE,
          "INSERT INTO {t} (id, d, dt, dt6, ts, e, v) VALUES " + String.join(", ", tuples));
    }
  }
}
