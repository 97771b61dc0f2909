package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * {@code spirit migrate} end to end on tables of many column types, under writers that insert, update and delete
 * rows holding extreme and awkward values the whole time. The expectation is independent of the tool: every writer
 * transaction changes a plain {@code mirror} table of the original definition exactly like the migrated table, and
 * afterwards the two must hold the same bytes in every original column of every row.
 */
class MigrateTypesIT {
  private static final String DECIMAL_MAX = "9".repeat(35) + "." + "9".repeat(30);

  /** Stored (non-generated) columns of {@code types} and the SQL literals a writer may put in them. */
  private static final Map<String, List<String>> VALUES = new LinkedHashMap<>();

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
        "'日本語テキスト'", "'𝄞 music'", "NULL"));
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

  private static final String TYPES_TABLE = "(\n"
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

  private static final List<String> SESSION = List.of("SET SESSION time_zone = '+00:00'");

  private static String pick(Random r, List<String> values) {
    return values.get(r.nextInt(values.size()));
  }

  private static String typesRow(Map<String, List<String>> values, Random r, long id) {
    return "(" + id + ", " + values.values().stream().map(v -> pick(r, v)).collect(Collectors.joining(", ")) + ")";
  }

  private static String typesInsert(Map<String, List<String>> values, Random r, long firstId, int rows) {
    List<String> tuples = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      tuples.add(typesRow(values, r, firstId + i));
    }
    return "INSERT INTO {t} (id, " + String.join(", ", values.keySet()) + ") VALUES " + String.join(", ", tuples);
  }

  private static String typesDml(Map<String, List<String>> values, Random r, int initialRows) {
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
  private static void createTypes(TestDatabase db, String table, String mirror, Map<String, List<String>> values,
      int rows) throws Exception {
    db.execute("DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + mirror,
        "CREATE TABLE " + table + " " + TYPES_TABLE, "CREATE TABLE " + mirror + " LIKE " + table);
    Random fill = new Random(42);
    for (int from = 1; from <= rows; from += 250) {
      MirroredWriters.executeOnBoth(db, table, mirror, SESSION, typesInsert(values, fill, from, 250));
    }
  }

  @ServerTest
  void everyTypeSurvivesCopyAndConcurrentChanges(TestDatabase db) throws Exception {
    int initialRows = 3000;
    createTypes(db, "types", "types_mirror", VALUES, initialRows);
    // Every literal of every column appears in the initial rows (3000 random rows over at most 8 values each).
    for (Map.Entry<String, List<String>> column : VALUES.entrySet()) {
      assertThat(db.queryLong("SELECT COUNT(DISTINCT IFNULL(HEX(CAST(`" + column.getKey() + "` AS BINARY)), 'n'))"
          + " FROM types")).as(column.getKey()).isGreaterThanOrEqualTo(column.getValue().size() - 2L);
    }

    MigrateIT.Run run = migrateUnderWrites(db, "types", "types_mirror", SESSION,
        r -> typesDml(VALUES, r, initialRows),
        "ALTER TABLE types ADD COLUMN added VARCHAR(10) NOT NULL DEFAULT 'dflt', ADD INDEX (i)");

    MirroredWriters.assertSameContent(db, "types", "types_mirror");
    assertThat(db.queryLong("SELECT COUNT(*) FROM types WHERE added <> 'dflt'")).isZero();
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'types' AND COLUMN_NAME = 'i'")).isOne();
    // The generated columns are still generated, and computed alike.
    assertThat(db.queryString("SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'types' AND COLUMN_NAME = 'gv'")).containsIgnoringCase("VIRTUAL");
    assertThat(db.queryString("SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'types' AND COLUMN_NAME = 'gs'")).satisfiesAnyOf(
            x -> assertThat(x).containsIgnoringCase("STORED"), x -> assertThat(x).containsIgnoringCase("PERSISTENT"));
    assertThat(run.err()).contains("by shadow table copy");
  }

  /**
   * Lossless type changes (widening integers, FLOAT to DOUBLE, latin1 to utf8mb4, CHAR to VARCHAR, longer BIT and
   * TIME precision, YEAR to SMALLINT, appended ENUM and SET values, …) under writers. The expectation is the server's
   * own {@code ALTER TABLE} of the mirror, run after the writers stopped: every column, the new one included, must
   * hold the same bytes. The writers' values mean the same under the old and the new definition (FLOAT values exact in
   * binary, years as four digits), since writes after the cutover reach the new definition but the mirror's old one.
   */
  @ServerTest
  void typeChangesGiveWhatTheServersOwnAlterGives(TestDatabase db) throws Exception {
    Map<String, List<String>> values = new LinkedHashMap<>(VALUES);
    values.put("f", List.of("1.5", "0.25", "-2", "16777216", "3.4028234663852886e38", "-0.0", "NULL"));
    values.put("yr", List.of("1901", "2155", "0", "2000", "NULL"));
    int initialRows = 3000;
    createTypes(db, "conv", "conv_mirror", values, initialRows);
    String clauses = "MODIFY ti SMALLINT, MODIFY siu INT UNSIGNED, MODIFY iu BIGINT, MODIFY i BIGINT,"
        + " MODIFY f DOUBLE, MODIFY dc2 DECIMAL(14,4), MODIFY c VARCHAR(12) CHARACTER SET utf8mb4,"
        + " MODIFY cl CHAR(10) CHARACTER SET utf8mb4, MODIFY vcl VARCHAR(80) CHARACTER SET utf8mb4,"
        + " MODIFY txl MEDIUMTEXT CHARACTER SET utf8mb4, MODIFY vb VARBINARY(64), MODIFY bl LONGBLOB,"
        + " MODIFY tm0 TIME(3), MODIFY yr SMALLINT, MODIFY b13 BIT(20), MODIFY biu DECIMAL(20,0),"
        + " MODIFY e ENUM('a','b','c d','é','new') CHARACTER SET utf8mb4, MODIFY st SET('x','y','z','w'),"
        + " ADD COLUMN added INT NOT NULL DEFAULT 5";

    MigrateIT.Run run = migrateUnderWrites(db, "conv", "conv_mirror", SESSION,
        r -> typesDml(values, r, initialRows), "ALTER TABLE conv " + clauses);

    db.execute("ALTER TABLE conv_mirror " + clauses);
    assertThat(db.queryRows("SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'conv' ORDER BY ORDINAL_POSITION"))
        .isEqualTo(db.queryRows("SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'conv_mirror' ORDER BY ORDINAL_POSITION"));
    MirroredWriters.assertSameContent(db, "conv", "conv_mirror");
    assertThat(run.err()).contains("by shadow table copy");
  }

  /**
   * Widening BINARY(n) pads every value with zero bytes; the new table holds exactly what the server's own ALTER
   * gives. No writers: the change alone.
   */
  @ServerTest
  void binaryWideningIsVerifiedAsEqual(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS widen", "DROP TABLE IF EXISTS widen_mirror",
        "CREATE TABLE widen (id INT PRIMARY KEY, bn BINARY(8), v INT)", "CREATE TABLE widen_mirror LIKE widen");
    MirroredWriters.executeOnBoth(db, "widen", "widen_mirror", SESSION,
        "INSERT INTO {t} VALUES (1, X'0102030405060708', 1), (2, X'FF', 2), (3, X'', 3), (4, NULL, 4),"
            + " (5, X'0000000000000000', 5)");
    MigrateIT.Run run = MigrateIT.spirit(db, "--statement", "ALTER TABLE widen MODIFY bn BINARY(12)");
    assertThat(run.exitCode()).as(run.err()).isZero();
    db.execute("ALTER TABLE widen_mirror MODIFY bn BINARY(12)");
    MirroredWriters.assertSameContent(db, "widen", "widen_mirror");
    assertThat(db.queryString("SELECT HEX(bn) FROM widen WHERE id = 2")).isEqualTo("FF0000000000000000000000");
  }

  /**
   * The oracle itself can fail: a lost trailing zero byte, a FLOAT that differs beyond the digits the server prints,
   * a changed case in a case-insensitive key, a missing row and an extra row are each reported.
   */
  @ServerTest
  void theComparisonSeesSingleByteDifferences(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS oracle", "DROP TABLE IF EXISTS oracle_mirror",
        "CREATE TABLE oracle (k VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci PRIMARY KEY,"
            + " b VARBINARY(4), f FLOAT)", "CREATE TABLE oracle_mirror LIKE oracle");
    MirroredWriters.executeOnBoth(db, "oracle", "oracle_mirror", SESSION,
        "INSERT INTO {t} VALUES ('a', X'0100', 0.1), ('b', X'01', 1), ('c', NULL, NULL), ('d', X'', -1)");
    MirroredWriters.assertSameContent(db, "oracle", "oracle_mirror");
    db.execute("UPDATE oracle SET b = X'01' WHERE k = 'a'", "UPDATE oracle SET k = 'B' WHERE k = 'b'",
        "DELETE FROM oracle WHERE k = 'c'", "INSERT INTO oracle VALUES ('e', X'', 0)",
        "UPDATE oracle SET f = 0.1000001 WHERE k = 'a'");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> MirroredWriters.assertSameContent(db, "oracle", "oracle_mirror"))
        .hasMessageContaining("5 problem(s)")
        .hasMessageContaining("differs, key [61]: b oracle=01 oracle_mirror=0100; f oracle=")
        .hasMessageContaining("missing from oracle: k=62")
        .hasMessageContaining("extra in oracle: k=42")
        .hasMessageContaining("missing from oracle: k=63")
        .hasMessageContaining("extra in oracle: k=65");
  }

  /** Zero and partial dates written under a permissive sql_mode, and the ENUM error value ''. */
  private static final List<String> PERMISSIVE = List.of("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'",
      "SET SESSION time_zone = '+00:00'");
  private static final List<String> ZERO_D = List.of("'0000-00-00'", "'2020-00-15'", "'2020-05-00'",
      "'2021-02-31'", "'2024-01-01'", "NULL");
  private static final List<String> ZERO_DT = List.of("'0000-00-00 00:00:00'", "'2020-00-15 10:00:00'",
      "'2021-02-31 23:59:59'", "'2024-01-01 00:00:00'", "NULL");
  private static final List<String> ZERO_DT6 = List.of("'0000-00-00 00:00:00.000000'",
      "'2020-00-00 00:00:00.123456'", "'2020-05-00 01:02:03.5'", "NULL");
  private static final List<String> ZERO_TS = List.of("'0000-00-00 00:00:00'", "'2001-01-01 00:00:00'", "NULL");
  private static final List<String> ZERO_E = List.of("'a'", "'b'", "'not a value'", "NULL");

  private static String zerosRow(Random r, long id) {
    return "(" + id + ", " + pick(r, ZERO_D) + ", " + pick(r, ZERO_DT) + ", " + pick(r, ZERO_DT6) + ", "
        + pick(r, ZERO_TS) + ", " + pick(r, ZERO_E) + ", " + r.nextInt(100) + ")";
  }

  private static String zerosDml(Random r, int initialRows) {
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

  @ServerTest
  void zeroAndInvalidDatesWrittenUnderAPermissiveSqlModeSurvive(TestDatabase db) throws Exception {
    int initialRows = 4000;
    db.execute("DROP TABLE IF EXISTS zeros", "DROP TABLE IF EXISTS zeros_mirror",
        "CREATE TABLE zeros (id INT NOT NULL PRIMARY KEY, d DATE, dt DATETIME, dt6 DATETIME(6),"
            + " ts TIMESTAMP NULL DEFAULT NULL, e ENUM('a','b'), v INT NOT NULL) DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE zeros_mirror LIKE zeros");
    Random fill = new Random(7);
    for (int from = 1; from <= initialRows; from += 500) {
      List<String> tuples = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        tuples.add(zerosRow(fill, from + i));
      }
      MirroredWriters.executeOnBoth(db, "zeros", "zeros_mirror", PERMISSIVE,
          "INSERT INTO {t} (id, d, dt, dt6, ts, e, v) VALUES " + String.join(", ", tuples));
    }
    assertThat(db.queryLong("SELECT COUNT(*) FROM zeros WHERE CAST(d AS CHAR) = '0000-00-00'")).isPositive();
    assertThat(db.queryLong("SELECT COUNT(*) FROM zeros WHERE CAST(d AS CHAR) = '2020-00-15'")).isPositive();
    assertThat(db.queryLong("SELECT COUNT(*) FROM zeros WHERE CAST(d AS CHAR) = '2021-02-31'")).isPositive();
    assertThat(db.queryLong("SELECT COUNT(*) FROM zeros WHERE e = 0")).isPositive();

    MigrateIT.Run run = migrateUnderWrites(db, "zeros", "zeros_mirror", PERMISSIVE, r -> zerosDml(r, initialRows),
        "ALTER TABLE zeros ADD COLUMN added INT NOT NULL DEFAULT 1, ADD INDEX (d)");

    MirroredWriters.assertSameContent(db, "zeros", "zeros_mirror");
    assertThat(db.queryLong("SELECT COUNT(*) FROM zeros WHERE added <> 1")).isZero();
    assertThat(db.queryLong("SELECT COUNT(*) FROM zeros WHERE CAST(d AS CHAR) = '0000-00-00'")).isPositive();
    assertThat(db.queryLong("SELECT COUNT(*) FROM zeros WHERE CAST(dt6 AS CHAR) = '2020-00-00 00:00:00.123456'"))
        .isPositive();
    assertThat(run.err()).contains("by shadow table copy");
  }

  /**
   * Transactions per writer thread. Bounded, so a migration that cannot keep up with the writers still ends: writers
   * that finish before the migration stop writing and let it converge.
   */
  static final int WRITES_PER_THREAD = 5_000;

  /**
   * Runs the migration while mirrored writers change the table, from before the copy until after the cutover (or
   * until their bounded work is done), and checks what every such run must satisfy: exit 0, no application error,
   * no helper table left.
   */
  static MigrateIT.Run migrateUnderWrites(TestDatabase db, String table, String mirror, List<String> session,
      java.util.function.Function<Random, String> dml, String statement, String... extraArgs) throws Exception {
    MigrateIT.Run run;
    MirroredWriters writers = new MirroredWriters(db, table, mirror, 3, table.hashCode(), WRITES_PER_THREAD, session,
        dml);
    try (writers) {
      writers.start().awaitCommitted(50);
      long before = writers.committed();
      List<String> args = new ArrayList<>(List.of("--statement", statement, "--target-chunk-size", "1"));
      args.addAll(List.of(extraArgs));
      run = MigrateIT.spirit(db, args.toArray(String[]::new));
      System.out.println("[" + db.server().id() + "] " + statement + "\n" + run.err() + "writers: " + before
          + " committed before, " + (writers.committed() - before) + " during; " + writers.rejected() + " rejected");
      long during = writers.committed() - before;
      // Some writes after the cutover, on the new table.
      writers.awaitCommitted(writers.committed() + 50);
      writers.close();
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(writers.errors()).as("application errors").isEmpty();
      assertThat(during).as("transactions committed during the migration").isPositive();
    }
    assertThat(run.err()).contains("checksum:").contains("old table: dropped");
    assertThat(MigrateRefusalsIT.helperTables(db, table)).isEmpty();
    return run;
  }
}
