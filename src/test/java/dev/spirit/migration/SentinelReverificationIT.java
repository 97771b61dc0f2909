package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The sentinel's re-verification while a run waits, made frequent by a JVM-wide property that would change every
 * other in-process run's wait too, so these run while no other test class does.
 */
@Isolated
class SentinelReverificationIT {

  /** Scenario 21: a duplicate for a new unique key appearing during the wait fails the run; the row says why. */
  @ServerTest
  void aDivergenceDuringTheWaitStopsTheRun(TestDatabase db) throws Exception {
    SentinelIT.table(db, "diverge", 1000);
    System.setProperty("spirit.sentinel.checksumIntervalSeconds", "1");
    try {
      SentinelRun run = new SentinelRun(db, "ALTER TABLE diverge ADD UNIQUE KEY uk_email (email)", true, SentinelIT.LONG,
          SentinelFaults.NONE);
      run.await("ready", () -> "ready".equals(SentinelRun.status(db, run.owner)));
      db.execute("INSERT INTO diverge VALUES (5000, 5000, 'e7')");
      assertThat(run.outcome()).isInstanceOfSatisfying(SpiritException.class,
          e -> assertThat(e.getMessage()).contains("uk_email"));
      assertThat(SentinelRun.status(db, run.owner)).isEqualTo("stopped");
      assertThat(SentinelIT.sentinelExists(db)).isTrue();
    } finally {
      System.clearProperty("spirit.sentinel.checksumIntervalSeconds");
    }
  }

  /**
   * The re-verification at the wait point can take long (here: its lock waits behind an open write transaction).
   * Meanwhile the row's heartbeat must go on, so automation does not see the run as dead, and a release must be
   * noticed and end the re-verification.
   */
  @ServerTest
  void theHeartbeatAndTheReleaseGoOnDuringAReverification(TestDatabase db) throws Exception {
    SentinelIT.table(db, "longpass", 2000);
    System.setProperty("spirit.sentinel.checksumIntervalSeconds", "0");
    try (java.sql.Connection blocker = db.connection(); java.sql.Statement b = blocker.createStatement()) {
      SentinelRun run = new SentinelRun(db, "ALTER TABLE longpass ADD INDEX (v)", true, SentinelIT.LONG, SentinelFaults.NONE);
      run.await("ready", () -> "ready".equals(SentinelRun.status(db, run.owner)));
      blocker.setAutoCommit(false);
      b.executeUpdate("UPDATE longpass SET v = v WHERE id = 1");
      run.await("the re-verification waiting for its lock", () -> !SentinelIT.queryRows(db, "SELECT ID FROM"
          + " information_schema.PROCESSLIST WHERE STATE = 'Waiting for table metadata lock'"
          + " AND INFO LIKE 'LOCK TABLES%longpass%'").isEmpty());
      String before = db.queryString("SELECT updated_at FROM _spirit_sentinel WHERE owner = '" + run.owner + "'");
      Thread.sleep(MigrationRunner.SENTINEL_HEARTBEAT.toMillis() + 1000); // longer than one heartbeat
      String after = db.queryString("SELECT updated_at FROM _spirit_sentinel WHERE owner = '" + run.owner + "'");
      assertThat(after).as("the heartbeat while the re-verification waits").isGreaterThan(before);
      db.execute("DROP TABLE _spirit_sentinel");
      blocker.commit();
      assertThat(run.outcome()).as(run.output()).isNull();
      assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
          + " AND TABLE_NAME = 'longpass' AND COLUMN_NAME = 'v'")).isPositive();
    } finally {
      System.clearProperty("spirit.sentinel.checksumIntervalSeconds");
    }
  }
}
