package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A run killed mid-copy, then the server restarted before the same command runs again: the checkpoint (with its GTID
 * set) still resumes, across the new binlog file the restart opened, and the changes made before and after the
 * restart all reach the new table. Runs on the move-target server of each flavour, which nothing replicates from, so
 * the restart disturbs no other test.
 */
@Isolated // acts on the whole server (docs/testing.md)
class ResumeAfterRestartIT {

  @ServerTest
  void aCheckpointResumesAfterTheServerRestarts(TestDatabase standard) throws Exception {
    TestDatabase db = TestServers.moveTargetDatabase(standard.server(), getClass());
    ResumeIT.table(db, "restarted", 20);
    db.execute("DROP TABLE IF EXISTS restarted_mirror", "CREATE TABLE restarted_mirror LIKE restarted",
        "INSERT INTO restarted_mirror SELECT * FROM restarted");
    ResumeIT.HeldRun first = ResumeIT.startHeldMidCopy(db, "restarted", 20000);
    first.run().kill();
    ResumeIT.release(first.stall());
    String position = db.queryString("SELECT binlog_position FROM _restarted_chkpnt");
    assertThat(position).as("the checkpoint carries the GTID set").contains(" gtid=");
    String fileBefore = db.queryRows("SHOW MASTER STATUS").get(0).get(0);

    for (String t : new String[] {"restarted", "restarted_mirror"}) { // changes before the restart
      db.execute("UPDATE " + t + " SET v = -v WHERE id % 97 = 0", "DELETE FROM " + t + " WHERE id % 89 = 0",
          "UPDATE " + t + " SET id = id + 100000 WHERE id % 83 = 0");
    }
    TestServers.restart(db.server());
    db.dropPooledConnections();
    String fileAfter = db.queryRows("SHOW MASTER STATUS").get(0).get(0);
    assertThat(fileAfter).as("the restart opened a new binlog file").isNotEqualTo(fileBefore);
    for (String t : new String[] {"restarted", "restarted_mirror"}) { // and after it
      db.execute("INSERT INTO " + t + " VALUES (150000, 1, 'after'), (5, 5, 'x') ON DUPLICATE KEY UPDATE s = 'dup'",
          "DELETE FROM " + t + " WHERE id % 79 = 0");
    }

    SpiritProcess second = SpiritProcess.migrate(db, ResumeIT.slowAddIndex("restarted"));
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("resuming the migration of")
        .contains("resuming from binlog " + position).doesNotContain("afresh")
        .contains(" 0 repaired, 1 pass(es), clean");
    MirroredWriters.assertSameContent(db, "restarted", "restarted_mirror");
    assertThat(ResumeIT.indexed(db, "restarted", "v")).isTrue();
    assertThat(ResumeIT.leftovers(db, "restarted")).isZero();
  }
}
