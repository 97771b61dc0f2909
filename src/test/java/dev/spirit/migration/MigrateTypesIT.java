package dev.spirit.migration;

import static dev.spirit.testing.TypeMatrix.PERMISSIVE;
import static dev.spirit.testing.TypeMatrix.SESSION;
import static dev.spirit.testing.TypeMatrix.VALUES;
import static dev.spirit.testing.TypeMatrix.createTypes;
import static dev.spirit.testing.TypeMatrix.createZeros;
import static dev.spirit.testing.TypeMatrix.typesDml;
import static dev.spirit.testing.TypeMatrix.zerosDml;
import static dev.spirit.testing.TypeMatrix.zerosRow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code spirit migrate} end to end on tables of many column types, under writers that insert, update and delete
 * rows holding extreme and awkward values the whole time. The expectation is independent of the tool: every writer
 * transaction changes a plain {@code mirror} table of the original definition exactly like the migrated table, and
 * afterwards the two must hold the same bytes in every original column of every row.
 */
class MigrateTypesIT {
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

  @ServerTest
  void zeroAndInvalidDatesWrittenUnderAPermissiveSqlModeSurvive(TestDatabase db) throws Exception {
    int initialRows = 4000;
    createZeros(db, "zeros", "zeros_mirror", initialRows);
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
