package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.ServerVariant;
import dev.spirit.testing.TestDatabase;
import java.time.Duration;

/**
 * spirit's result against the server's own: the same ALTER run natively ({@code ALGORITHM=COPY}, in a session with
 * the server's defaults) on a copy of the table, then every row compared. Whatever spirit does to copy, the values
 * must be the ones a native ALTER gives.
 */
class NativeAlterIT {

  /** Runs {@code alter} through spirit on {@code table} and natively on a copy; returns the copy's name. */
  private static String migrateBothWays(TestDatabase db, String table, String alter) throws Exception {
    String nativeCopy = table + "_native";
    db.execute("DROP TABLE IF EXISTS " + nativeCopy, "CREATE TABLE " + nativeCopy + " LIKE " + table,
        "INSERT INTO " + nativeCopy + " SELECT * FROM " + table,
        "ALTER TABLE " + nativeCopy + " " + alter + ", ALGORITHM=COPY");
    SentinelRun run = new SentinelRun(db, "ALTER TABLE " + table + " " + alter, false, Duration.ofMinutes(5),
        SentinelFaults.NONE);
    assertThat(run.outcome()).as(run.output()).isNull();
    assertThat(run.output()).contains("shadow table copy");
    return nativeCopy;
  }

  /** A column dropped and added again is a new column: every row gets its default, none keeps the old value. */
  @ServerTest
  void aColumnDroppedAndAddedAgainTakesItsDefault(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS readd", "CREATE TABLE readd (id INT PRIMARY KEY, c INT NOT NULL, v INT)",
        "INSERT INTO readd SELECT seq, seq * 3, seq FROM (" + ChunkerIT.numbers(2000) + ") n");
    // ADD INDEX keeps the server from doing it all INSTANT, so spirit copies.
    String copy = migrateBothWays(db, "readd", "DROP COLUMN c, ADD COLUMN c INT NOT NULL DEFAULT 47, ADD INDEX (v)");
    assertThat(db.queryLong("SELECT COUNT(*) FROM readd WHERE c = 47")).isEqualTo(2000);
    RowDiff.assertSameRows(db.queryRows("SELECT id, c, v FROM readd ORDER BY id"),
        db.queryRows("SELECT id, c, v FROM " + copy + " ORDER BY id"));
  }

  /**
   * On a server whose time_zone is not UTC, DATETIME to TIMESTAMP and back convert through that zone: the stored
   * instants (and wall-clock values) must be those of the native ALTER.
   */
  @ServerTest(variants = {ServerVariant.STANDARD, ServerVariant.LOWER_CASE_NAMES_NON_UTC})
  void timestampConversionsUseTheServersTimeZone(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS zoned", "CREATE TABLE zoned (id INT PRIMARY KEY, dt DATETIME(3) NOT NULL,"
        + " ts TIMESTAMP(3) NULL, v INT)",
        "INSERT INTO zoned SELECT seq, TIMESTAMP('2024-03-30 18:00:00') + INTERVAL seq * 7 MINUTE,"
            + " TIMESTAMP('2024-10-26 20:30:00.125') + INTERVAL seq * 11 MINUTE, seq FROM ("
            + ChunkerIT.numbers(1500) + ") n");
    String copy = migrateBothWays(db, "zoned", "MODIFY dt TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
        + " MODIFY ts DATETIME(3) NULL");
    String instants = "SELECT id, UNIX_TIMESTAMP(dt), CAST(ts AS CHAR), v FROM ";
    RowDiff.assertSameRows(db.queryRows(instants + "zoned ORDER BY id"),
        db.queryRows(instants + copy + " ORDER BY id"));
  }
}
