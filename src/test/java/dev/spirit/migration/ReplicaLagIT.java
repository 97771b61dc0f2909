package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.migration.MigrateIT.Run;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.CapturedLog;
import dev.spirit.testing.CountingWriters;
import dev.spirit.testing.DelayingProxy;
import dev.spirit.testing.Replication;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code --replica-dsn} against a real replica of each flavour. Lag is made by holding the replica's applier back: a
 * session on the replica holds {@code LOCK TABLES t READ} while the application writes {@code t} on the primary.
 */
@Isolated // acts on the whole server (docs/testing.md)
class ReplicaLagIT {
  private static final int ROWS = 4000;
  private static final Duration CATCH_UP = Duration.ofMinutes(2);

  private static String dsn(int port) {
    return "spirit:spirit@tcp(127.0.0.1:" + port + ")/";
  }

  /** A fresh table on the primary, arrived on the replica. */
  private static TestDatabase table(TestDatabase db, String name) throws Exception {
    TestDatabase replica = TestServers.replicaOf(db);
    db.execute("DROP TABLE IF EXISTS " + name, "DROP TABLE IF EXISTS _" + name + "_new",
        "DROP TABLE IF EXISTS _" + name + "_chkpnt", "DROP TABLE IF EXISTS _spirit_sentinel",
        "CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, v INT NOT NULL)",
        "INSERT INTO " + name + " SELECT seq, 0 FROM (" + ChunkerIT.numbers(ROWS) + ") n");
    Replication.awaitCaughtUp(db, replica, CATCH_UP);
    return replica;
  }

  /** A run in the background, with what the throttle logged ahead of the run's own output. */
  private static CompletableFuture<Run> spiritInBackground(TestDatabase db, String... args) {
    return CompletableFuture.supplyAsync(() -> {
      CapturedLog.Captured<Run> captured = CapturedLog.during("dev.spirit.throttle", () -> MigrateIT.spirit(db, args));
      return new Run(captured.result().exitCode(), captured.log() + captured.result().err());
    });
  }

  private static long rows(TestDatabase db, String table) {
    try {
      return db.queryLong("SELECT COUNT(*) FROM " + table);
    } catch (SQLException e) {
      return -1; // not created yet
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  private static boolean hasShadow(TestDatabase db, String table) {
    return rows(db, "_" + table + "_new") >= 0;
  }

  @ServerTest
  void theCopyPausesWhileAReplicaLagsOrCannotBeSeenAndTheReplicaEndsEqual(TestDatabase db) throws Exception {
    TestDatabase replica = table(db, "lagged");
    int replicaPort = replica.server().port();
    Run run;
    try (CountingWriters writers = new CountingWriters(db, "lagged", 1, ROWS, 11).paced(10).start()) {
      DelayingProxy proxy = new DelayingProxy("127.0.0.1", replicaPort, 0);
      int proxyPort = proxy.port();
      try (Connection hold = replica.connection(); Statement s = hold.createStatement()) {
        s.execute("LOCK TABLES lagged READ");
        Thread.sleep(12_000); // the applier waits on the lock while the writers go on: the replica falls behind
        CompletableFuture<Run> background = spiritInBackground(db, "--replica-dsn", dsn(proxyPort),
            "--replica-max-lag", "10s", "--statement", "ALTER TABLE lagged MODIFY v BIGINT NOT NULL");
        await("the shadow table", Duration.ofSeconds(30), () -> hasShadow(db, "lagged"));
        Thread.sleep(3_000);
        assertThat(rows(db, "_lagged_new")).as("rows copied while the replica lags").isZero();

        proxy.close(); // the replica cannot be seen any more: its last figure ages, then the copy fails closed
        s.execute("UNLOCK TABLES");
        Thread.sleep(18_000);
        assertThat(background).as("the run").isNotDone();
        assertThat(rows(db, "_lagged_new")).as("rows copied while the replica cannot be seen").isZero();
        proxy = new DelayingProxy("127.0.0.1", replicaPort, 0, proxyPort);
        run = background.get(3, TimeUnit.MINUTES);
      } finally {
        proxy.close();
      }
      writers.close();
      assertThat(writers.errors()).as("application errors").isEmpty();
      assertThat(run.exitCode()).as(run.err()).isZero();
      RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM lagged ORDER BY id"), writers.expectedRows());
    }
    assertThat(run.err()).containsPattern("copy paused: replica 127\\.0\\.0\\.1:\\d+: (lag \\d+ ms >= 10000 ms"
            + "|SQL thread)")
        .contains("lag unobservable for").contains("(failing closed)")
        .containsPattern("throttled: copy paused (\\d+) s for replica lag");
    java.util.regex.Matcher paused = java.util.regex.Pattern.compile("throttled: copy paused (\\d+) s")
        .matcher(run.err());
    assertThat(paused.find()).isTrue();
    assertThat(Long.parseLong(paused.group(1))).as("seconds paused").isGreaterThanOrEqualTo(18);
    Replication.awaitCaughtUp(db, replica, CATCH_UP);
    RowDiff.assertSameRows(replica.queryRows("SELECT id, v FROM lagged ORDER BY id"),
        db.queryRows("SELECT id, v FROM lagged ORDER BY id"));
    assertThat(replica.queryString("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
        + " DATABASE() AND TABLE_NAME = 'lagged' AND COLUMN_NAME = 'v'")).isEqualTo("bigint");
  }

  @ServerTest
  void aReplicaWhoseSqlThreadIsStoppedIsRefusedBeforeAnythingChanges(TestDatabase db) throws Exception {
    TestDatabase replica = table(db, "stopped_before");
    Replication.sqlThread(replica, false);
    Run run;
    try {
      run = MigrateIT.spirit(db, "--replica-dsn", dsn(replica.server().port()), "--statement",
          "ALTER TABLE stopped_before MODIFY v BIGINT NOT NULL");
    } finally {
      Replication.sqlThread(replica, true);
    }
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("refusing to migrate: replica 127.0.0.1:" + replica.server().port()
        + " is not healthy: IO thread Yes, SQL thread No");
    assertThat(hasShadow(db, "stopped_before")).isFalse();
  }

  @ServerTest
  void aReplicaStoppedDuringTheRunStopsItBeforeTheCutoverWithTheTableIntact(TestDatabase db) throws Exception {
    TestDatabase replica = table(db, "stopped_later");
    CompletableFuture<Run> background = spiritInBackground(db, "--replica-dsn", dsn(replica.server().port()),
        "--defer-cutover", "--statement", "ALTER TABLE stopped_later MODIFY v BIGINT NOT NULL");
    Run run;
    try {
      await("the run to be ready", Duration.ofMinutes(2), () -> {
        try {
          return "ready".equals(db.queryString("SELECT status FROM _spirit_sentinel"));
        } catch (SQLException e) {
          return false;
        }
      });
      Replication.sqlThread(replica, false);
      db.execute("DROP TABLE _spirit_sentinel"); // the release
      run = background.get(2, TimeUnit.MINUTES);
    } finally {
      Replication.sqlThread(replica, true);
    }
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("replica 127.0.0.1:" + replica.server().port() + " is not healthy before the"
        + " cutover: IO thread Yes, SQL thread No").contains("running the same command again resumes");
    assertThat(db.queryString("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'stopped_later' AND COLUMN_NAME = 'v'")).isEqualTo("int");
    assertThat(db.queryLong("SELECT COUNT(*) FROM stopped_later")).isEqualTo(ROWS);
  }

  @ServerTest
  void aReplicaUserWithoutTheGrantsIsRefusedWithTheGrantToAdd(TestDatabase db) throws Exception {
    TestDatabase replica = table(db, "ungranted");
    // Made on the replica itself: replication only carries the test's schema.
    replica.execute("DROP USER IF EXISTS 'lag_plain'@'%'", "CREATE USER 'lag_plain'@'%' IDENTIFIED BY 'plain'",
        "GRANT SELECT ON `" + db.schema() + "`.* TO 'lag_plain'@'%'");
    Run run;
    try {
      run = MigrateIT.spirit(db, "--replica-dsn", "lag_plain:plain@tcp(127.0.0.1:" + replica.server().port() + ")/",
          "--statement", "ALTER TABLE ungranted MODIFY v BIGINT NOT NULL");
    } finally {
      replica.execute("DROP USER IF EXISTS 'lag_plain'@'%'");
    }
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("refusing to migrate: cannot read the replication status of replica 127.0.0.1:"
        + replica.server().port()).contains(db.server().isMariaDb() ? "GRANT REPLICA MONITOR ON *.*"
        : "GRANT REPLICATION CLIENT ON *.* and GRANT SELECT ON performance_schema.*");
    assertThat(hasShadow(db, "ungranted")).isFalse();
  }
}
