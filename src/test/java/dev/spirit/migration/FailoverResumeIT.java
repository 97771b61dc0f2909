package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.Replication;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import java.time.Duration;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A run killed mid-copy on a primary, then a failover: the replica is promoted and the same command is run against
 * it, as it would be when the primary's address moves to the replica. The checkpoint, the shadow table and the
 * changes all reached the replica by replication, but the checkpoint's binlog file and offset are the old primary's;
 * its GTID set is what the new primary's binlog can be read from. The changes made on the old primary after the
 * checkpoint and those made on the new one after the promotion all reach the new table.
 */
@Isolated // acts on the whole server (docs/testing.md)
class FailoverResumeIT {

  @ServerTest
  void aRunKilledOnThePrimaryResumesOnThePromotedReplicaFromItsGtidSet(TestDatabase primary) throws Exception {
    TestDatabase replica = TestServers.replicaOf(primary);
    try {
      ResumeIT.table(primary, "failed_over", 20);
      primary.execute("DROP TABLE IF EXISTS failed_over_mirror", "CREATE TABLE failed_over_mirror LIKE failed_over",
          "INSERT INTO failed_over_mirror SELECT * FROM failed_over");
      ResumeIT.HeldRun first = ResumeIT.startHeldMidCopy(primary, "failed_over", 20000);
      first.run().kill();
      ResumeIT.release(first.stall());
      String position = primary.queryString("SELECT binlog_position FROM _failed_over_chkpnt");
      assertThat(position).as("the checkpoint carries the GTID set").contains(" gtid=");

      for (String t : new String[] {"failed_over", "failed_over_mirror"}) { // on the old primary, after the checkpoint
        primary.execute("UPDATE " + t + " SET v = -v WHERE id % 97 = 0", "DELETE FROM " + t + " WHERE id % 89 = 0",
            "UPDATE " + t + " SET id = id + 100000 WHERE id % 83 = 0");
      }
      Replication.awaitCaughtUp(primary, replica, Duration.ofSeconds(60));
      replica.execute(primary.server().isMariaDb() ? "STOP SLAVE" : "STOP REPLICA"); // the promotion
      for (String t : new String[] {"failed_over", "failed_over_mirror"}) { // on the new primary
        replica.execute("INSERT INTO " + t + " VALUES (150000, 1, 'after'), (5, 5, 'x') ON DUPLICATE KEY UPDATE"
            + " s = 'dup'", "DELETE FROM " + t + " WHERE id % 79 = 0");
      }

      SpiritProcess second = SpiritProcess.migrate(replica, ResumeIT.slowAddIndex("failed_over"));
      assertThat(second.exitCode()).as(second.output()).isZero();
      assertThat(second.output()).contains("resuming the migration of")
          .contains("its GTID set is found in this server's binlog").doesNotContain("afresh")
          .contains(" 0 repaired, 1 pass(es), clean");
      MirroredWriters.assertSameContent(replica, "failed_over", "failed_over_mirror");
      assertThat(ResumeIT.indexed(replica, "failed_over", "v")).isTrue();
      assertThat(ResumeIT.leftovers(replica, "failed_over")).isZero();
    } finally {
      // The replica took writes of its own: forget them, so the next replicaOf starts it cleanly.
      replica.execute("DROP TABLE IF EXISTS failed_over", "DROP TABLE IF EXISTS failed_over_mirror",
          "DROP TABLE IF EXISTS _failed_over_new", "DROP TABLE IF EXISTS _failed_over_chkpnt",
          primary.server().isMariaDb() ? "STOP SLAVE" : "STOP REPLICA", "RESET MASTER");
      TestServers.forgetReplica(primary);
    }
  }
}
