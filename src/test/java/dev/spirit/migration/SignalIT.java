package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;

/**
 * Ctrl-C and SIGTERM during the copy: the real {@code spirit} process stops cleanly with exit 130, the original table
 * is untouched and the shadow table is gone.
 */
class SignalIT {

  @ServerTest
  void sigintDuringTheCopyExits130AndLeavesTheTableAsItWas(TestDatabase db) throws Exception {
    interruptDuringCopy(db, "sigint", "INT");
  }

  @ServerTest
  void sigtermDuringTheCopyExits130AndLeavesTheTableAsItWas(TestDatabase db) throws Exception {
    interruptDuringCopy(db, "sigterm", "TERM");
  }

  /**
   * The copy is held at its last range by an uncommitted row in the shadow table (see
   * {@link ResumeIT#stallCopy}), so the signal arrives during the copy however fast the machine is; the hold is
   * released once spirit has seen the signal, and the run must stop at its next safe point.
   */
  private static void interruptDuringCopy(TestDatabase db, String table, String signal) throws Exception {
    db.execute("DROP TABLE IF EXISTS " + table,
        "CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)",
        "INSERT INTO " + table + " SELECT seq, seq FROM (" + ChunkerIT.numbers(9999) + ") n",
        "INSERT INTO " + table + " SELECT id + 10000, v FROM " + table,
        "INSERT INTO " + table + " SELECT id + 20000, v FROM " + table);
    String before = db.queryString("SHOW CREATE TABLE " + table);
    SpiritProcess spirit = SpiritProcess.migrate(db, "--threads", "1", "--target-chunk-size", "100", "--statement",
        "ALTER TABLE " + table + " ADD INDEX (v)");
    Connection stall = ResumeIT.stallCopy(db, spirit, table, 39999);
    spirit.signal(signal);
    spirit.await("the signal to be seen", () -> spirit.output().contains("spirit: interrupted"));
    ResumeIT.release(stall);
    int exit = spirit.exitCode();
    String log = spirit.output();
    assertThat(exit).as(log).isEqualTo(130);
    assertThat(log).contains("unchanged").doesNotContain("migrated `");
    assertThat(db.queryString("SHOW CREATE TABLE " + table)).isEqualTo(before);
    assertThat(db.queryLong("SELECT COUNT(*) FROM " + table)).isEqualTo(40000 - 4);
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '\\_" + table + "\\_%'")).isZero();
  }
}
