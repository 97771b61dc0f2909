package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.ServerVariant;
import dev.spirit.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * spirit's result against the server's own: the same ALTER run natively ({@code ALGORITHM=COPY}, in a session with
 * the server's defaults) on a copy of the table, then every row compared. Whatever spirit does to copy, the values
 * must be the ones a native ALTER gives.
 */
@Isolated // acts on the whole server (docs/testing.md)
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

  /**
   * A zone with daylight saving repeats an hour each autumn, whose TIMESTAMP values no literal can name; a run that
   * must use the server's zone (it converts between DATETIME and TIMESTAMP) refuses a TIMESTAMP key there, before
   * changing anything. Needs the server's time zone tables: loaded for one zone from the system's zoneinfo with
   * MariaDB's mariadb-tzinfo-to-sql, whose output only MariaDB takes.
   */
  @ServerTest
  void aTimestampKeyIsRefusedWhenTheServersZoneRepeatsAnHour(TestDatabase db) throws Exception {
    assumeTrue(db.server().isMariaDb(), "the zone tables are loaded with MariaDB's tool");
    Process tool = new ProcessBuilder("mariadb-tzinfo-to-sql", "/usr/share/zoneinfo/Europe/Berlin", "Europe/Berlin")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String sql = new String(tool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(tool.waitFor()).isZero();
    try (java.sql.Connection c = db.connection(); java.sql.Statement s = c.createStatement()) {
      s.execute("USE mysql");
      for (String statement : sql.split(";\\s*\\n")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
      s.execute("USE " + db.schema());
    }
    db.execute("DROP TABLE IF EXISTS tskey", "CREATE TABLE tskey (ts TIMESTAMP(3) NOT NULL PRIMARY KEY, dt DATETIME,"
        + " v INT)", "INSERT INTO tskey VALUES ('2024-10-27 00:30:00', '2024-01-01 10:00:00', 1)");
    String before = db.queryRows("SHOW CREATE TABLE tskey").get(0).get(1);
    String zone = db.queryString("SELECT @@GLOBAL.time_zone");
    try {
      db.execute("SET GLOBAL time_zone = 'Europe/Berlin'");
      MigrateIT.Run run = MigrateIT.spirit(db, "--statement", "ALTER TABLE tskey MODIFY dt TIMESTAMP NULL");
      assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
      assertThat(run.err()).contains("`tskey`").contains("daylight saving").contains("Europe/Berlin");
      MigrateIT.Run plain = MigrateIT.spirit(db, "--statement", "ALTER TABLE tskey ADD INDEX (v)");
      assertThat(plain.exitCode()).as("without a conversion the sessions stay in UTC: " + plain.err()).isZero();
    } finally {
      db.execute("SET GLOBAL time_zone = '" + zone + "'");
    }
    assertThat(db.queryRows("SHOW CREATE TABLE tskey").get(0).get(1)).contains("`dt` datetime");
    assertThat(before).contains("`dt` datetime");
  }
}
