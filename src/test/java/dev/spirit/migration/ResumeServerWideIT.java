package dev.spirit.migration;

import static dev.spirit.migration.ResumeIT.HeldRun;
import static dev.spirit.migration.ResumeIT.indexed;
import static dev.spirit.migration.ResumeIT.leftovers;
import static dev.spirit.migration.ResumeIT.release;
import static dev.spirit.migration.ResumeIT.slowAddIndex;
import static dev.spirit.migration.ResumeIT.startHeldMidCopy;
import static dev.spirit.migration.ResumeIT.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Resume scenarios that act on the whole server (purging its binlog, killing every dump thread), so they run while no
 * other test class does: a purge would take another class's killed run's binlog away, a kill its connections.
 */
@Isolated
class ResumeServerWideIT {

  /** The binlog after the checkpoint purged while spirit is down: the changes cannot be replayed, so it starts over. */
  @ServerTest
  void aCheckpointWhoseBinlogWasPurgedStartsAfresh(TestDatabase db) throws Exception {
    table(db, "purged", 40);
    String[] args = slowAddIndex("purged");
    HeldRun first = startHeldMidCopy(db, "purged", 40000);
    first.run().kill();
    release(first.stall());
    db.execute("UPDATE purged SET v = v + 1 WHERE id <= 10", "FLUSH BINARY LOGS");
    String current = db.queryRows("SHOW BINARY LOGS").stream().map(r -> r.get(0)).reduce((a, b) -> b).orElseThrow();
    String checkpointed = db.queryString("SELECT binlog_position FROM _purged_chkpnt").split(":")[0];
    // A binlog file a dump thread still reads (the killed run's, until the server notices) is not purged yet.
    for (int i = 0; i < 50 && db.queryRows("SHOW BINARY LOGS").stream().anyMatch(r -> r.get(0).equals(checkpointed));
        i++) {
      db.execute("PURGE BINARY LOGS TO '" + current + "'");
      Thread.sleep(200);
    }
    SpiritProcess second = SpiritProcess.migrate(db, args);
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("afresh").contains(db.server().isMariaDb() ? "is no longer on the server"
        : "the server has purged binlog transactions after the checkpoint's GTID set");
    assertThat(indexed(db, "purged", "v")).isTrue();
    assertThat(leftovers(db, "purged")).isZero();
  }

  /**
   * The server's dump thread killed mid-copy: the subscription reconnects from the last transaction boundary it
   * handled and the run completes, with nothing lost.
   */
  @ServerTest
  void aKilledBinlogConnectionIsReplacedAndTheRunCompletes(TestDatabase db) throws Exception {
    table(db, "severed", 40);
    List<List<String>> expected = db.queryRows("SELECT * FROM severed ORDER BY id");
    HeldRun held = startHeldMidCopy(db, "severed", 40000);
    SpiritProcess first = held.run();
    Connection stall = held.stall();
    for (List<String> dump : db.queryRows("SELECT ID FROM information_schema.PROCESSLIST"
        + " WHERE COMMAND LIKE 'Binlog Dump%'")) {
      db.execute("KILL " + dump.get(0));
    }
    release(stall);
    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.output()).contains("binlog connection lost").contains("re-established");
    RowDiff.assertSameRows(db.queryRows("SELECT * FROM severed ORDER BY id"), expected);
    assertThat(leftovers(db, "severed")).isZero();
  }
}
