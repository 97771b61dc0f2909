package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.checkpoint.CheckpointTable;
import dev.spirit.table.TableDefinition;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.ServerFlavor;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Checkpoints and resume with the real {@code spirit} process: killed with SIGKILL (no cleanup at all) and run again
 * with the same arguments. Results are compared with an independent mirror of the application's writes, never with
 * spirit's own checksum.
 */
class ResumeIT {

  static void table(TestDatabase db, String name, int thousands) throws SQLException {
    db.execute("DROP TABLE IF EXISTS " + name, "DROP TABLE IF EXISTS _" + name + "_new",
        "DROP TABLE IF EXISTS _" + name + "_chkpnt",
        "CREATE TABLE " + name + " (id INT PRIMARY KEY, v INT, s VARCHAR(30))",
        "INSERT INTO " + name + " SELECT seq, seq, CONCAT('s', seq) FROM (" + ChunkerIT.numbers(Math.min(10, thousands)
            * 1000) + ") n");
    for (int done = 10; done < thousands; done += 10) {
      db.execute("INSERT INTO " + name + " SELECT id + " + done * 1000 + ", v, s FROM " + name + " WHERE id <= 10000");
    }
  }

  private static boolean checkpointMidCopy(TestDatabase db, String table) {
    try {
      return db.queryLong("SELECT COUNT(*) FROM _" + table + "_chkpnt WHERE copy_completed = 0") == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Makes the copy stall at its last range, so that checkpoints are written mid-copy however fast the machine is: an
   * uncommitted row with the source's last key in the shadow table, which the copy's insert of that key waits for.
   * Taken once the checkpoint table exists (the shadow table is complete by then). Returns the open transaction;
   * rolling it back lets the copy go on.
   */
  static Connection stallCopy(TestDatabase db, SpiritProcess run, String table, int lastKey)
      throws Exception {
    run.await("the checkpoint table", () -> {
      try {
        return leftovers(db, table) == 2;
      } catch (SQLException e) {
        return false;
      }
    });
    Connection c = db.connection();
    c.setAutoCommit(false);
    try (var s = c.createStatement()) {
      s.execute("INSERT INTO _" + table + "_new (id) VALUES (" + lastKey + ")");
    } catch (SQLException e) {
      c.close();
      throw new AssertionError("the copy reached key " + lastKey + " before the test could stall it", e);
    }
    return c;
  }

  /** One copy thread and tiny ranges: the copy of these tables lasts long enough to be caught mid-way. */
  static String[] slowAddIndex(String table) {
    return new String[] {"--threads", "1", "--target-chunk-size", "100", "--statement",
        "ALTER TABLE " + table + " ADD INDEX (v)"};
  }

  /** A run of {@link #slowAddIndex} held by {@link #stallCopy} at {@code lastKey}, with a mid-copy checkpoint. */
  record HeldRun(SpiritProcess run, Connection stall) {}

  static HeldRun startHeldMidCopy(TestDatabase db, String table, int lastKey) throws Exception {
    SpiritProcess run = SpiritProcess.migrate(db, slowAddIndex(table));
    Connection stall = stallCopy(db, run, table, lastKey);
    run.await("a checkpoint written mid-copy", () -> checkpointMidCopy(db, table));
    return new HeldRun(run, stall);
  }

  static void release(Connection stall) throws SQLException {
    stall.rollback();
    stall.close();
  }

  static long leftovers(TestDatabase db, String table) throws SQLException {
    return db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '\\_" + table + "\\_%'");
  }

  static boolean indexed(TestDatabase db, String table, String column) throws SQLException {
    return db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = '" + table + "' AND COLUMN_NAME = '" + column + "'") > 0;
  }

  /**
   * Scenario (a): killed mid-copy under concurrent writes (PK updates, deletes, inserts above and below the copy),
   * writes continue while spirit is down, the same command resumes and the result equals the mirror.
   */
  @ServerTest
  void aRunKilledMidCopyResumesAndEndsEqualToTheMirror(TestDatabase db) throws Exception {
    table(db, "orders", 40);
    db.execute("DROP TABLE IF EXISTS orders_mirror", "CREATE TABLE orders_mirror LIKE orders",
        "INSERT INTO orders_mirror SELECT * FROM orders");
    String[] args = slowAddIndex("orders");
    String runs;
    try (MirroredWriters writers = new MirroredWriters(db, "orders", "orders_mirror", 2, 424242L, 1_000_000,
        List.of(), r -> {
          int id = 1 + r.nextInt(45_000);
          return switch (r.nextInt(5)) {
            case 0 -> "UPDATE {t} SET v = v + 1, s = CONCAT(s, 'u') WHERE id = " + id;
            case 1 -> "UPDATE {t} SET id = id + 100000 WHERE id = " + id;
            case 2 -> "DELETE FROM {t} WHERE id = " + id;
            case 3 -> "INSERT INTO {t} VALUES (" + id + ", " + r.nextInt(1000) + ", 'ins')";
            default -> "UPDATE {t} SET id = id - 100000 WHERE id = " + (id + 100000);
          };
        }).start()) {
      HeldRun first = startHeldMidCopy(db, "orders", 40000);
      first.run().kill();
      release(first.stall());
      assertThat(db.queryLong("SELECT copy_completed FROM _orders_chkpnt")).as("killed mid-copy").isZero();
      String watermark = db.queryString("SELECT copier_watermark FROM _orders_chkpnt");
      assertThat(db.queryString("SELECT binlog_position FROM _orders_chkpnt")).as("both servers have GTIDs on")
          .contains(" gtid=");
      long before = writers.committed();
      writers.awaitCommitted(before + 150); // the application goes on while spirit is down,
      db.execute("FLUSH BINARY LOGS"); // across a rotation
      writers.awaitCommitted(before + 300);

      SpiritProcess second = SpiritProcess.migrate(db, args);
      assertThat(second.exitCode()).as(second.output()).isZero();
      assertThat(second.output()).contains("resuming the migration of").contains("copy continues from key")
          .doesNotContain("afresh")
          // The checksum repairs any difference, so the final comparison alone cannot see a checkpoint that lost a
          // change; a resumed shadow that needed no repair can.
          .contains(" 0 repaired, 1 pass(es), clean");
      assertThat(watermark).as("the checkpoint's watermark").contains("\"type\":\"integer\"");
      writers.close();
      runs = "first run:\n" + first.run().output() + "\nsecond run:\n" + second.output();
      assertThat(writers.errors()).as("the application's view; %s", runs).isEmpty();
      assertThat(writers.committed()).isGreaterThan(before);
    }
    try {
      MirroredWriters.assertSameContent(db, "orders", "orders_mirror");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + runs, e);
    }
    assertThat(indexed(db, "orders", "v")).isTrue();
    assertThat(leftovers(db, "orders")).as("shadow, checkpoint and old table are gone").isZero();
  }

  /**
   * DDL on the source while spirit is down: the checkpoint no longer fits the table's definition, so the run starts
   * afresh (the DDL is also in the binlog, which a resume would have met and stopped on), and the new column survives.
   */
  @ServerTest
  void ddlWhileDownStartsAfresh(TestDatabase db) throws Exception {
    table(db, "altered", 40);
    String[] args = slowAddIndex("altered");
    HeldRun first = startHeldMidCopy(db, "altered", 40000);
    first.run().kill();
    release(first.stall());
    db.execute("ALTER TABLE altered ADD COLUMN extra INT NOT NULL DEFAULT 3");
    SpiritProcess second = SpiritProcess.migrate(db, args);
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("afresh").contains("definition of `altered` changed");
    assertThat(leftovers(db, "altered")).isZero();
    assertThat(indexed(db, "altered", "v")).isTrue();
    assertThat(db.queryLong("SELECT COUNT(*) FROM altered WHERE extra <> 3")).isZero();
  }

  /**
   * DDL that never reached the binlog (sql_log_bin=0) while spirit was down: the replay cannot see it, so the
   * checkpoint no longer fits the table; the run starts afresh and the change made meanwhile survives the swap.
   */
  @ServerTest
  void unloggedDdlWhileDownStartsAfresh(TestDatabase db) throws Exception {
    table(db, "unlogged", 40);
    String[] args = slowAddIndex("unlogged");
    HeldRun first = startHeldMidCopy(db, "unlogged", 40000);
    first.run().kill();
    release(first.stall());
    try (Connection c = MirroredWriters.session(db, List.of("SET SESSION sql_log_bin = 0"));
        java.sql.Statement s = c.createStatement()) {
      s.execute("ALTER TABLE unlogged ADD COLUMN extra INT NOT NULL DEFAULT 5");
    }
    SpiritProcess second = SpiritProcess.migrate(db, args);
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("afresh").contains("definition of `unlogged` changed");
    assertThat(db.queryLong("SELECT COUNT(*) FROM unlogged WHERE extra = 5"))
        .isEqualTo(db.queryLong("SELECT COUNT(*) FROM unlogged"));
    assertThat(indexed(db, "unlogged", "v")).isTrue();
    assertThat(leftovers(db, "unlogged")).isZero();
  }

  /** A string key: the watermark comes back as the same string and bounds the copy and the delete alike. */
  @ServerTest
  void aStringKeyResumesFromItsWatermark(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS named", "DROP TABLE IF EXISTS _named_new", "DROP TABLE IF EXISTS _named_chkpnt",
        "CREATE TABLE named (name VARCHAR(20) CHARACTER SET utf8mb4 PRIMARY KEY, v INT)",
        "INSERT INTO named SELECT CONCAT('k', LPAD(seq, 4, '0')), seq FROM (" + ChunkerIT.numbers(5000) + ") n",
        "CREATE TABLE _named_new LIKE named", "ALTER TABLE _named_new ADD INDEX (v)",
        "INSERT INTO _named_new SELECT * FROM named WHERE name < 'k2500'",
        "INSERT INTO _named_new VALUES ('k3000', -1)");
    List<List<String>> expected = db.queryRows("SELECT * FROM named ORDER BY name");
    String statement = "ALTER TABLE named ADD INDEX (v)";
    writeCheckpoint(db, "named", "k2500", statement);
    SpiritProcess run = SpiritProcess.migrate(db, "--statement", statement);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("copy continues from key [k2500]").contains("removed 1 row(s)")
        .contains("rows copied 2,501;");
    RowDiff.assertSameRows(db.queryRows("SELECT * FROM named ORDER BY name"), expected);
  }

  /** A checkpoint write that fails for good (its table dropped under the run) stops the run; nothing is kept. */
  @ServerTest
  void aCheckpointThatCannotBeWrittenStopsTheRun(TestDatabase db) throws Exception {
    table(db, "unwritable", 20);
    HeldRun held = startHeldMidCopy(db, "unwritable", 20000);
    SpiritProcess run = held.run();
    db.execute("DROP TABLE _unwritable_chkpnt");
    release(held.stall());
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("writing the checkpoint").contains("1146")
        .doesNotContain("running the same command again resumes");
    assertThat(leftovers(db, "unwritable")).isZero();
    assertThat(indexed(db, "unwritable", "v")).isFalse();
  }

  /** A checkpoint made by hand, as a killed run would have left it, with one stale row on each side of W. */
  private static void leaveCheckpoint(TestDatabase db, String table, String statement) throws SQLException {
    db.execute("CREATE TABLE _" + table + "_new LIKE " + table,
        "ALTER TABLE _" + table + "_new ADD INDEX (v)",
        "INSERT INTO _" + table + "_new SELECT * FROM " + table + " WHERE id < 2500",
        "UPDATE _" + table + "_new SET s = 'stale below' WHERE id = 100",
        "INSERT INTO _" + table + "_new VALUES (0, 0, 'stale below'), (3000, -1, 'stale above')");
    writeCheckpoint(db, table, 2500, statement);
  }

  /** A mid-copy checkpoint at {@code watermark}, positioned at the server's current binlog position. */
  private static void writeCheckpoint(TestDatabase db, String table, Object watermark, String statement)
      throws SQLException {
    writeCheckpoint(db, table, watermark, statement, null);
  }

  /** As above, the position carrying {@code gtidSet}. */
  private static void writeCheckpoint(TestDatabase db, String table, Object watermark, String statement,
      String gtidSet) throws SQLException {
    try (Connection c = db.connection()) {
      CheckpointTable checkpoint = new CheckpointTable(db.schema(), table);
      checkpoint.create(c);
      BinlogPosition now = ServerFlavor.detect(c).currentPosition(c);
      checkpoint.write(c, List.of(watermark), new BinlogPosition(now.file(), now.position(), gtidSet), statement, table,
          false, TableDefinition.read(c, db.schema(), table));
    }
  }

  /**
   * When what was left behind cannot be read for a reason that may pass (here a lock wait timeout on the checkpoint
   * table), the run refuses to start afresh and keeps both tables; once the lock is gone, the same command resumes.
   */
  @ServerTest
  void anUncheckableCheckpointIsKeptAndTheRunRefuses(TestDatabase db) throws Exception {
    table(db, "locked", 5);
    List<List<String>> expected = db.queryRows("SELECT * FROM locked ORDER BY id");
    String statement = "ALTER TABLE locked ADD INDEX (v)";
    leaveCheckpoint(db, "locked", statement);
    try (Connection lock = db.connection(); var s = lock.createStatement()) {
      s.execute("LOCK TABLES _locked_chkpnt WRITE");
      SpiritProcess run = SpiritProcess.migrate(db, "--lock-wait-timeout", "1s", "--statement", statement);
      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      assertThat(run.output()).contains("refusing to start a fresh migration").contains("Both tables are kept")
          .doesNotContain("afresh");
      s.execute("UNLOCK TABLES");
    }
    assertThat(leftovers(db, "locked")).isEqualTo(2);
    SpiritProcess again = SpiritProcess.migrate(db, "--statement", statement);
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).contains("resuming the migration of");
    RowDiff.assertSameRows(db.queryRows("SELECT * FROM locked ORDER BY id"), expected);
    assertThat(leftovers(db, "locked")).isZero();
  }

  /** Scenario (b): a checkpoint of another statement: fresh start, stale tables replaced. */
  @ServerTest
  void aDifferentStatementStartsFresh(TestDatabase db) throws Exception {
    table(db, "changed", 5);
    List<List<String>> expected = db.queryRows("SELECT * FROM changed ORDER BY id");
    leaveCheckpoint(db, "changed", "ALTER TABLE changed ADD INDEX (s)");
    SpiritProcess run = SpiritProcess.migrate(db, "--statement", "ALTER TABLE changed ADD INDEX (v)");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("afresh").contains("different statement").doesNotContain("resuming");
    RowDiff.assertSameRows(db.queryRows("SELECT * FROM changed ORDER BY id"), expected);
    assertThat(indexed(db, "changed", "v")).isTrue();
    assertThat(leftovers(db, "changed")).isZero();
  }

  /** Scenario (c): older than --checkpoint-max-age: fresh start. */
  @ServerTest
  void aCheckpointTooOldStartsFresh(TestDatabase db) throws Exception {
    table(db, "aged", 5);
    List<List<String>> expected = db.queryRows("SELECT * FROM aged ORDER BY id");
    String statement = "ALTER TABLE aged ADD INDEX (v)";
    leaveCheckpoint(db, "aged", statement);
    Thread.sleep(1500);
    SpiritProcess run = SpiritProcess.migrate(db, "--checkpoint-max-age", "1s", "--statement", statement);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("afresh").contains("older than --checkpoint-max-age")
        .doesNotContain("resuming");
    RowDiff.assertSameRows(db.queryRows("SELECT * FROM aged ORDER BY id"), expected);
    assertThat(leftovers(db, "aged")).isZero();
  }

  /**
   * The same left-behind state, young enough and for this statement: resumed from key 2500, the stale row above it
   * deleted before the copy continues, and the whole table verified (the stale row below it is repaired).
   */
  /**
   * A checkpoint whose GTID set holds no transaction of this server was taken on another one (the address now reaches
   * a promoted replica, whose binlog file of the same name holds other events at that offset): it starts afresh. MySQL
   * only; MariaDB's GTID position names only each domain's last server, so there the binlog file alone decides.
   */
  @ServerTest
  void aCheckpointTakenOnAnotherServerStartsAfresh(TestDatabase db) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(db.server().isMariaDb(), "MySQL's server_uuid in the GTID set");
    table(db, "moved_away", 5);
    String statement = "ALTER TABLE moved_away ADD INDEX (v)";
    db.execute("CREATE TABLE _moved_away_new LIKE moved_away", "ALTER TABLE _moved_away_new ADD INDEX (v)");
    writeCheckpoint(db, "moved_away", 2500, statement, "0b6c9c8e-0000-11f1-8000-000000000001:1-900");
    SpiritProcess run = SpiritProcess.migrate(db, "--statement", statement);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("afresh").contains("the checkpoint does not belong to this server")
        .contains("holds no transaction of this server (server_uuid ");
    assertThat(indexed(db, "moved_away", "v")).isTrue();
    assertThat(leftovers(db, "moved_away")).isZero();
  }

  @ServerTest
  void aValidCheckpointResumesFromItsWatermark(TestDatabase db) throws Exception {
    table(db, "kept", 5);
    List<List<String>> expected = db.queryRows("SELECT * FROM kept ORDER BY id");
    String statement = "ALTER TABLE kept ADD INDEX (v)";
    leaveCheckpoint(db, "kept", statement);
    SpiritProcess run = SpiritProcess.migrate(db, "--statement", statement);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("resuming the migration of").contains("copy continues from key [2500]")
        .contains("removed 1 row(s) at or above the key").doesNotContain("afresh")
        .contains("rows copied 2,501;"); // keys 2500..5000 only: what was below W is not copied again
    RowDiff.assertSameRows(db.queryRows("SELECT * FROM kept ORDER BY id"), expected);
    assertThat(leftovers(db, "kept")).isZero();
  }

  /**
   * A statement of the killed run still running on the server (here an open transaction holding the shadow, which
   * writes a stale row above the watermark after the resumed run has started): the resumed run waits until it has
   * ended before it deletes the rows above the watermark, so the stale row is gone and the checksum repairs nothing.
   */
  @ServerTest
  void aStatementOfTheKilledRunStillWritingTheShadowIsWaitedFor(TestDatabase db) throws Exception {
    table(db, "zombie", 5);
    List<List<String>> expected = db.queryRows("SELECT * FROM zombie ORDER BY id");
    String statement = "ALTER TABLE zombie ADD INDEX (v)";
    db.execute("CREATE TABLE _zombie_new LIKE zombie", "ALTER TABLE _zombie_new ADD INDEX (v)",
        "INSERT INTO _zombie_new SELECT * FROM zombie WHERE id < 2500");
    writeCheckpoint(db, "zombie", 2500, statement);
    SpiritProcess run;
    try (Connection zombie = db.connection(); var s = zombie.createStatement()) {
      zombie.setAutoCommit(false);
      s.executeQuery("SELECT id FROM _zombie_new WHERE id = 1 FOR UPDATE").close();
      run = SpiritProcess.migrate(db, "--statement", statement);
      run.await("the resumed run waiting for the shadow", () -> {
        try {
          // the resume's lock of the shadow alone, not the checksum's lock of both tables
          return db.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOCK TABLES %"
              + "_zombie_new` WRITE' AND INFO NOT LIKE '%,%' AND STATE LIKE '%metadata lock%'") == 1;
        } catch (SQLException e) {
          return false;
        }
      });
      s.executeUpdate("INSERT INTO _zombie_new VALUES (4000, -1, 'stale, written late')");
      zombie.commit();
    }
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("copy continues from key [2500]").contains("removed 1 row(s)")
        .contains(" 0 repaired, 1 pass(es), clean");
    RowDiff.assertSameRows(db.queryRows("SELECT * FROM zombie ORDER BY id"), expected);
    assertThat(leftovers(db, "zombie")).isZero();
  }
}
