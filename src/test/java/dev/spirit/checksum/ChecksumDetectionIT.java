package dev.spirit.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.db.BackgroundPriority;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.Pipeline;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checksum's power to detect: the new table is damaged behind the tool's back between the copy and the checksum,
 * in the smallest ways that matter, and every damage must be found (and repaired). A checksum that cannot fail would
 * pass every other test.
 */
class ChecksumDetectionIT {
  private static final String COLUMNS = "id, i, u, n, f, d, dt, dd, t, ts, y, v, c, tx, bl, bn, vb, j, bt, e, st,"
      + " ST_AsText(g)";

  private static void table(TestDatabase db, String name) throws Exception {
    db.execute("DROP TABLE IF EXISTS " + name, "DROP TABLE IF EXISTS _" + name + "_new",
        "CREATE TABLE " + name + " (id INT PRIMARY KEY, i INT, u BIGINT UNSIGNED, n DECIMAL(10,2), f FLOAT,"
            + " d DOUBLE, dt DATETIME(6), dd DATE, t TIME(3), ts TIMESTAMP(6) NULL, y YEAR, v VARCHAR(20)"
            + " CHARACTER SET utf8mb4, c CHAR(4) CHARACTER SET latin1, tx TEXT, bl BLOB, bn BINARY(4),"
            + " vb VARBINARY(8), j JSON, bt BIT(8), e ENUM('a','b','c'), st SET('x','y','z'), g POINT NULL,"
            + " z VARCHAR(5) NULL, p VARCHAR(8), q VARCHAR(8), kn INT NOT NULL, pn VARCHAR(8) NOT NULL,"
            + " qn VARCHAR(8) NOT NULL)",
        "INSERT INTO " + name + " SELECT seq, seq, seq * 1000000007, seq / 4, seq / 3, seq / 7,"
            + " TIMESTAMP('2021-02-03 04:05:06.123456') + INTERVAL seq SECOND, DATE('2020-01-01') + INTERVAL seq DAY,"
            + " SEC_TO_TIME(seq), TIMESTAMP('2022-01-01 00:00:00') + INTERVAL seq MINUTE, 2000 + seq % 50,"
            + " CONCAT('caf', CHAR(233 USING latin1), seq), 'abcd', REPEAT('t', 300), REPEAT('b', 200), 'bn01',"
            + " 'vb', JSON_OBJECT('k', seq), seq % 256, 'b', 'x,y', ST_GeomFromText('POINT(1 2)'), NULL,"
            + " 'aaaa', 'bbbb', seq, 'aaaa', 'bbbb' FROM (" + ChunkerIT.numbers(400) + ") n",
        "CREATE TABLE _" + name + "_new LIKE " + name);
  }

  private static ChecksumResult check(Pipeline p) throws Exception {
    return new Checksummer(p.database, p.pool, p.source, p.target, p.mapping, p.drain, 2, 500,
        BackgroundPriority.normal("test")).run(() -> false);
  }

  /** A small change of one value of each type class, one at a time. */
  @ServerTest
  void oneChangedValueOfEachTypeIsFound(TestDatabase db) throws Exception {
    table(db, "typed");
    Map<String, String> damage = new LinkedHashMap<>();
    damage.put("INT", "i = i ^ 1");
    damage.put("BIGINT UNSIGNED", "u = u ^ 256");
    damage.put("DECIMAL", "n = n + 0.01");
    damage.put("FLOAT", "f = f * 2");
    damage.put("DOUBLE", "d = d + 0.0000001");
    damage.put("DATETIME(6)", "dt = dt + INTERVAL 1 MICROSECOND");
    damage.put("DATE", "dd = dd + INTERVAL 1 DAY");
    damage.put("TIME(3)", "t = ADDTIME(t, '00:00:00.001')");
    damage.put("TIMESTAMP(6)", "ts = ts + INTERVAL 1 MICROSECOND");
    damage.put("YEAR", "y = y + 1");
    damage.put("VARCHAR utf8mb4", "v = CONCAT('caf', CHAR(235 USING latin1), id)");
    damage.put("CHAR latin1", "c = 'abce'");
    damage.put("TEXT", "tx = CONCAT(LEFT(tx, 299), 'u')");
    damage.put("BLOB", "bl = CONCAT(LEFT(bl, 199), 'c')");
    damage.put("BINARY", "bn = 'bn02'");
    damage.put("VARBINARY", "vb = 'vc'");
    damage.put("JSON", "j = JSON_SET(j, '$.k', id + 1)");
    damage.put("BIT", "bt = bt ^ 1");
    damage.put("ENUM", "e = 'c'");
    damage.put("SET", "st = 'x'");
    damage.put("POINT", "g = ST_GeomFromText('POINT(1 3)')");
    damage.put("NULL to empty string", "z = ''");
    damage.put("INT NOT NULL", "kn = kn ^ 1");
    damage.put("VARCHAR NOT NULL", "pn = 'aaab'");
    try (Pipeline p = new Pipeline(db, "typed", "_typed_new", Duration.ofSeconds(5))) {
      p.copy();
      for (Map.Entry<String, String> e : damage.entrySet()) {
        db.execute("UPDATE _typed_new SET " + e.getValue() + " WHERE id = 123");
        assertThat(check(p).chunksRepaired()).as("a changed %s (%s) was found", e.getKey(), e.getValue())
            .isGreaterThanOrEqualTo(1);
      }
    }
    RowDiff.assertSameRows(db.queryRows("SELECT " + COLUMNS + ", z FROM _typed_new ORDER BY id"),
        db.queryRows("SELECT " + COLUMNS + ", z FROM typed ORDER BY id"));
  }

  /**
   * Floating-point values one unit in the last place apart: a hash of the value's text loses them (MariaDB prints a
   * FLOAT with 6 digits, so 16777215 reads as 16777216; MySQL prints some DOUBLE subnormals with 14), the IEEE bits
   * do not.
   */
  @ServerTest
  void floatingPointValuesOneUlpApartAreFound(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS ulp", "DROP TABLE IF EXISTS _ulp_new",
        "CREATE TABLE ulp (id INT PRIMARY KEY, f FLOAT, d DOUBLE)",
        "INSERT INTO ulp VALUES (1, 16777216, -2.2250738585072014e-308), (2, 0.3, 1.5)",
        "CREATE TABLE _ulp_new LIKE ulp");
    Map<String, String> damage = new LinkedHashMap<>();
    damage.put("FLOAT", "f = 16777215");
    damage.put("DOUBLE", "d = -2.2250738585072009e-308");
    try (Pipeline p = new Pipeline(db, "ulp", "_ulp_new", Duration.ofSeconds(5))) {
      p.copy();
      assertThat(check(p).chunksRepaired()).as("a faithful copy").isZero();
      for (Map.Entry<String, String> e : damage.entrySet()) {
        db.execute("UPDATE _ulp_new SET " + e.getValue() + " WHERE id = 1");
        assertThat(check(p).chunksRepaired()).as("a changed %s (%s) was found", e.getKey(), e.getValue())
            .isGreaterThanOrEqualTo(1);
      }
    }
    assertThat(db.queryRows("SELECT id, HEX(CAST(f AS DOUBLE)), HEX(d) FROM _ulp_new ORDER BY id"))
        .isEqualTo(db.queryRows("SELECT id, HEX(CAST(f AS DOUBLE)), HEX(d) FROM ulp ORDER BY id"));
  }

  /**
   * Two rows of one chunk, of equal length, changed by the same byte at the same place: a hash that is linear over
   * XOR (CRC32) changes by the same amount for both, and an XOR of the two cancels.
   */
  @ServerTest
  void twoRowsChangedByTheSameDeltaAreFound(TestDatabase db) throws Exception {
    table(db, "pairs");
    try (Pipeline p = new Pipeline(db, "pairs", "_pairs_new", Duration.ofSeconds(5))) {
      p.copy();
      db.execute("UPDATE _pairs_new SET p = 'aaab' WHERE id IN (110, 112)");
      assertThat(check(p).chunksRepaired()).isGreaterThanOrEqualTo(1);
    }
  }

  /** A value moved across a column boundary: a separator-joined row reads the same either way. */
  @ServerTest
  void aValueShiftedIntoTheNextColumnIsFound(TestDatabase db) throws Exception {
    table(db, "shift");
    db.execute("UPDATE shift SET p = 'p#0', q = 'q', kn = 61, pn = 'p#0', qn = 'q' WHERE id = 50");
    try (Pipeline p = new Pipeline(db, "shift", "_shift_new", Duration.ofSeconds(5))) {
      p.copy();
      db.execute("UPDATE _shift_new SET p = 'p', q = '0#q' WHERE id = 50");
      assertThat(check(p).chunksRepaired()).isGreaterThanOrEqualTo(1);
      db.execute("UPDATE _shift_new SET pn = 'p', qn = '0#q' WHERE id = 50");
      assertThat(check(p).chunksRepaired()).as("NOT NULL columns").isGreaterThanOrEqualTo(1);
      db.execute("UPDATE _shift_new SET kn = 6, pn = '1#p#0' WHERE id = 50");
      assertThat(check(p).chunksRepaired()).as("a digit moved from a number into text").isGreaterThanOrEqualTo(1);
    }
    RowDiff.assertSameRows(db.queryRows("SELECT id, p, q, kn, pn, qn FROM _shift_new ORDER BY id"),
        db.queryRows("SELECT id, p, q, kn, pn, qn FROM shift ORDER BY id"));
  }
}
