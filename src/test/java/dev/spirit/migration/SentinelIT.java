package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.status.Phase;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The readiness signal of {@code _spirit_sentinel} (shared/reference/spirit-move-sentinel.md §8), observed for real:
 * the run's phase and its row are polled together.
 */
class SentinelIT {
  static final Duration LONG = Duration.ofMinutes(5);

  static void table(TestDatabase db, String name, int rows) throws SQLException {
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel", "DROP TABLE IF EXISTS " + name,
        "CREATE TABLE " + name + " (id INT PRIMARY KEY, v INT, email VARCHAR(20))",
        "INSERT INTO " + name + " SELECT seq, seq, CONCAT('e', seq) FROM (" + ChunkerIT.numbers(rows) + ") n");
  }


  static boolean sentinelExists(TestDatabase db) throws SQLException {
    return db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = '_spirit_sentinel'") == 1;
  }

  /** Scenarios 1, 2, 3, 23, 28: copying before the copy, ready only at the wait point, heartbeat, release. */
  @ServerTest
  void readyOnlyAtTheWaitPointThenADropReleases(TestDatabase db) throws Exception {
    table(db, "orders", 20000);
    SentinelRun run = new SentinelRun(db, "ALTER TABLE orders ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    List<String> samples = new ArrayList<>();
    boolean sawCopyingDuringCopy = false;
    while (!"ready".equals(SentinelRun.status(db, run.owner))) {
      // The row first, then the phase: phases only move forward, so a ready row must be followed by the wait phase.
      String status = SentinelRun.status(db, run.owner);
      Phase phase = run.phase();
      samples.add(phase + "/" + status);
      if (phase == Phase.COPY && "copying".equals(status)) {
        sawCopyingDuringCopy = true;
      }
      assertThat(run.done).as("run ended early: " + run.output()).isNotDone();
      Thread.sleep(10);
    }
    assertThat(run.phase()).as("ready was written at %s", samples).isEqualTo(Phase.WAIT_FOR_RELEASE);
    assertThat(sawCopyingDuringCopy).as("row was copying while copying: %s", samples).isTrue();
    assertThat(samples).as("never ready before the wait point")
        .allMatch(s -> !s.endsWith("/ready") || s.startsWith(Phase.WAIT_FOR_RELEASE + "/"));
    // heartbeat and status line
    String first = db.queryString("SELECT updated_at FROM _spirit_sentinel WHERE owner = '" + run.owner + "'");
    Thread.sleep(2200);
    String later = db.queryString("SELECT updated_at FROM _spirit_sentinel WHERE owner = '" + run.owner + "'");
    assertThat(later).isGreaterThan(first);
    assertThat(run.runner.sentinelStatus()).contains("_spirit_sentinel").contains("readiness=ready")
        .contains("waiting=");
    assertThat(run.done).isNotDone();
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).isNull();
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '\\_orders\\_%'")).isZero();
  }

  /** Scenario 4: a drop before the wait point is a pre-approval: no wait. */
  @ServerTest
  void anEarlyDropMeansNoWait(TestDatabase db) throws Exception {
    table(db, "early", 20000);
    SentinelRun run = new SentinelRun(db, "ALTER TABLE early ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    run.await("the row copying", () -> "copying".equals(SentinelRun.status(db, run.owner)));
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
  }

  /** Scenario 6: dropped between the probe and the ready write: a release, not an error. */
  @ServerTest
  void aDropDuringTheReadyWriteIsARelease(TestDatabase db) throws Exception {
    table(db, "racy", 3000);
    SentinelRun run = new SentinelRun(db, "ALTER TABLE racy ADD INDEX (v)", true, LONG, new SentinelFaults() {
      @Override
      public void beforeReadyWrite() {
        execute(db, "DROP TABLE _spirit_sentinel");
      }
    });
    assertThat(run.outcome()).as(run.output()).isNull();
  }

  /** Scenario 7: dropped and re-created by someone else: a release, and no ready row written into the new table. */
  @ServerTest
  void aDropAndRecreateIsAReleaseWithoutWritingReady(TestDatabase db) throws Exception {
    table(db, "recreated", 3000);
    SentinelRun run = new SentinelRun(db, "ALTER TABLE recreated ADD INDEX (v)", true, LONG,
        new SentinelFaults() {
          @Override
          public void beforeReadyWrite() {
            execute(db, "DROP TABLE _spirit_sentinel");
            execute(db, "CREATE TABLE _spirit_sentinel (id BIGINT AUTO_INCREMENT PRIMARY KEY, owner VARCHAR(255)"
                + " NOT NULL DEFAULT '', status VARCHAR(32) NOT NULL DEFAULT 'copying', updated_at TIMESTAMP(6) NOT"
                + " NULL DEFAULT CURRENT_TIMESTAMP(6), reason VARCHAR(255), UNIQUE KEY (owner))");
          }
        });
    assertThat(run.outcome()).as(run.output()).isNull();
    assertThat(db.queryLong("SELECT COUNT(*) FROM _spirit_sentinel")).isZero();
  }

  /** Scenario 8: re-created in the legacy shape: keep waiting on existence, then a drop releases. */
  @ServerTest
  void aLegacyRecreateKeepsWaiting(TestDatabase db) throws Exception {
    table(db, "legacyrace", 3000);
    SentinelRun run = new SentinelRun(db, "ALTER TABLE legacyrace ADD INDEX (v)", true, LONG,
        new SentinelFaults() {
          @Override
          public void beforeReadyWrite() {
            execute(db, "DROP TABLE _spirit_sentinel");
            execute(db, "CREATE TABLE _spirit_sentinel (id INT NOT NULL PRIMARY KEY)");
          }
        });
    run.await("the wait", () -> run.phase() == Phase.WAIT_FOR_RELEASE);
    Thread.sleep(1500);
    assertThat(run.done).as(run.output()).isNotDone();
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
  }

  /** Scenario 9: an upstream-shaped sentinel made by hand, no flag: adopted untouched, blocks, a drop releases. */
  @ServerTest
  void aLegacySentinelMadeByHandBlocksWithoutTheFlag(TestDatabase db) throws Exception {
    table(db, "byhand", 3000);
    db.execute("CREATE TABLE _spirit_sentinel (id INT NOT NULL PRIMARY KEY)", "INSERT INTO _spirit_sentinel VALUES (1)");
    SentinelRun run = new SentinelRun(db, "ALTER TABLE byhand ADD INDEX (v)", false, LONG, SentinelFaults.NONE);
    run.await("the wait", () -> run.phase() == Phase.WAIT_FOR_RELEASE);
    Thread.sleep(1500);
    assertThat(run.done).isNotDone();
    assertThat(run.runner.sentinelStatus()).contains("readiness=unavailable");
    assertThat(db.queryRows("SELECT * FROM _spirit_sentinel")).containsExactly(List.of("1"));
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
  }

  /** Scenario 9 with the flag: the legacy table is adopted as it is (no ALTER, no row), blocks, a drop releases. */
  @ServerTest
  void aLegacySentinelIsAdoptedWithTheFlagToo(TestDatabase db) throws Exception {
    table(db, "adopted", 3000);
    db.execute("CREATE TABLE _spirit_sentinel (id INT NOT NULL PRIMARY KEY)", "INSERT INTO _spirit_sentinel VALUES (1)");
    String before = db.queryString("SHOW CREATE TABLE _spirit_sentinel");
    SentinelRun run = new SentinelRun(db, "ALTER TABLE adopted ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    run.await("the wait", () -> run.phase() == Phase.WAIT_FOR_RELEASE);
    Thread.sleep(1500);
    assertThat(run.done).isNotDone();
    assertThat(run.runner.sentinelStatus()).contains("readiness=unavailable");
    assertThat(db.queryString("SHOW CREATE TABLE _spirit_sentinel")).isEqualTo(before);
    assertThat(db.queryRows("SELECT * FROM _spirit_sentinel")).containsExactly(List.of("1"));
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
  }

  /**
   * Scenarios 10 and 16: the operator's own status table with an operator row: spirit adds its row; the schema is
   * not ready while the operator's row is copying; deleting spirit's own row releases just this run.
   */
  @ServerTest
  void anOperatorsStatusTableGetsOurRowAndAPerOwnerReleaseWorks(TestDatabase db) throws Exception {
    table(db, "operated", 3000);
    db.execute("CREATE TABLE _spirit_sentinel (id BIGINT AUTO_INCREMENT PRIMARY KEY, owner VARCHAR(255) NOT NULL"
        + " DEFAULT '', status VARCHAR(32) NOT NULL DEFAULT 'copying', updated_at TIMESTAMP(6) NOT NULL DEFAULT"
        + " CURRENT_TIMESTAMP(6), reason VARCHAR(255), UNIQUE KEY (owner))",
        "INSERT INTO _spirit_sentinel (owner, status) VALUES ('', 'copying')");
    SentinelRun run = new SentinelRun(db, "ALTER TABLE operated ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    run.await("ready", () -> "ready".equals(SentinelRun.status(db, run.owner)));
    assertThat(db.queryLong("SELECT COUNT(*) = SUM(status = 'ready') FROM _spirit_sentinel")).isZero();
    db.execute("DELETE FROM _spirit_sentinel WHERE owner = '" + run.owner + "'");
    assertThat(run.outcome()).as(run.output()).isNull();
    assertThat(sentinelExists(db)).isTrue();
    assertThat(db.queryRows("SELECT owner, status FROM _spirit_sentinel")).containsExactly(List.of("", "copying"));
  }

  /** Upstream PR #886's shape (status, no owner): the single row id=1 goes copying, then ready; a drop releases. */
  @ServerTest
  void aStatusTableWithoutOwnersUsesItsSingleRow(TestDatabase db) throws Exception {
    table(db, "shared", 20000);
    db.execute("CREATE TABLE _spirit_sentinel (id INT NOT NULL PRIMARY KEY, status VARCHAR(32) NOT NULL)");
    SentinelRun run = new SentinelRun(db, "ALTER TABLE shared ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    run.await("row 1 copying", () -> rowOne(db, "copying"));
    assertThat(run.phase()).isLessThan(Phase.WAIT_FOR_RELEASE);
    run.await("row 1 ready", () -> rowOne(db, "ready"));
    assertThat(run.phase()).isEqualTo(Phase.WAIT_FOR_RELEASE);
    Thread.sleep(1200);
    assertThat(run.done).isNotDone();
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
  }

  private static boolean rowOne(TestDatabase db, String status) {
    try {
      return db.queryRows("SELECT status FROM _spirit_sentinel WHERE id = 1").equals(List.of(List.of(status)));
    } catch (SQLException e) {
      return false;
    }
  }

  /** Scenario 13: the INSTANT path ignores the sentinel and writes no row. */
  @ServerTest
  void theInstantPathIgnoresTheSentinel(TestDatabase db) throws Exception {
    table(db, "instant", 10);
    SentinelRun run = new SentinelRun(db, "ALTER TABLE instant ADD COLUMN c INT", true, LONG, SentinelFaults.NONE);
    assertThat(run.outcome()).as(run.output()).isNull();
    assertThat(run.output()).contains("ALGORITHM=INSTANT");
    assertThat(sentinelExists(db)).isFalse();
  }

  /** Scenarios 14 and 15: two runs share the schema; the schema is ready only when both are; one drop releases both. */
  @ServerTest
  void twoRunsInOneSchemaEachKeepTheirOwnRow(TestDatabase db) throws Exception {
    table(db, "first", 2000);
    db.execute("DROP TABLE IF EXISTS second", "CREATE TABLE second (id INT PRIMARY KEY, v INT)",
        "INSERT INTO second SELECT seq, seq FROM (" + ChunkerIT.numbers(9000) + ") n");
    SentinelRun a = new SentinelRun(db, "ALTER TABLE first ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    a.await("first ready", () -> "ready".equals(SentinelRun.status(db, a.owner)));
    SentinelRun b = new SentinelRun(db, "ALTER TABLE second ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    b.await("second registered", () -> SentinelRun.status(db, b.owner) != null);
    assertThat(SentinelRun.status(db, a.owner)).isEqualTo("ready");
    assertThat(db.queryLong("SELECT COUNT(*) = SUM(status = 'ready') FROM _spirit_sentinel")).isZero();
    b.await("second ready", () -> "ready".equals(SentinelRun.status(db, b.owner)));
    assertThat(db.queryLong("SELECT COUNT(*) = SUM(status = 'ready') FROM _spirit_sentinel")).isOne();
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(a.outcome()).as(a.output()).isNull();
    assertThat(b.outcome()).as(b.output()).isNull();
  }

  /** Scenarios 17 and 19: a stale ready left by a dead run is put back to copying before any work. */
  @ServerTest
  void aStaleReadyIsResetBeforeAnyWork(TestDatabase db) throws Exception {
    table(db, "stale", 20000);
    db.execute("CREATE TABLE _spirit_sentinel (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, owner VARCHAR(255) NOT"
        + " NULL DEFAULT '', status VARCHAR(32) NOT NULL DEFAULT 'copying', updated_at TIMESTAMP(6) NOT NULL DEFAULT"
        + " CURRENT_TIMESTAMP(6), host VARCHAR(255) NULL, run_id CHAR(36) NULL, reason VARCHAR(255) NULL, UNIQUE"
        + " KEY owner (owner))");
    String owner = "migrate:" + db.schema() + ".stale";
    db.execute("INSERT INTO _spirit_sentinel (owner, status, updated_at) VALUES ('" + owner + "', 'ready',"
        + " NOW(6) - INTERVAL 1 HOUR)");
    SentinelRun run = new SentinelRun(db, "ALTER TABLE stale ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    run.await("the copy", () -> run.phase() == Phase.COPY || run.phase() == Phase.CATCH_UP);
    assertThat(SentinelRun.status(db, owner)).isEqualTo("copying");
    run.await("ready", () -> "ready".equals(SentinelRun.status(db, owner)));
    assertThat(run.phase()).isEqualTo(Phase.WAIT_FOR_RELEASE);
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
  }

  /**
   * Scenario 20: the wait limit fails the run, leaves the sentinel, and marks the row stopped; the shadow and the
   * checkpoint are kept for a resume (ResumeSentinelIT runs it again).
   */
  @ServerTest
  void theWaitLimitFailsTheRunAndMarksTheRowStopped(TestDatabase db) throws Exception {
    table(db, "patient", 1000);
    SentinelRun run = new SentinelRun(db, "ALTER TABLE patient ADD INDEX (v)", true, Duration.ofSeconds(3),
        SentinelFaults.NONE);
    Throwable failure = run.outcome();
    assertThat(failure).isInstanceOfSatisfying(SpiritException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
      assertThat(e.getMessage()).contains("timed out waiting for sentinel table");
    });
    assertThat(sentinelExists(db)).isTrue();
    assertThat(db.queryRows("SELECT status, reason FROM _spirit_sentinel WHERE owner = '" + run.owner + "'").get(0))
        .first().isEqualTo("stopped");
    assertThat(db.queryString("SELECT reason FROM _spirit_sentinel WHERE owner = '" + run.owner + "'"))
        .contains("timed out");
    assertThat(db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '\\_patient\\_%' ORDER BY TABLE_NAME"))
        .containsExactly(List.of("_patient_chkpnt"), List.of("_patient_new"));
    db.execute("DROP TABLE _patient_new, _patient_chkpnt");
  }

  static java.util.List<java.util.List<String>> queryRows(TestDatabase db, String sql) {
    try {
      return db.queryRows(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Scenario 22: cancelled while ready: the row is stopped, the sentinel stays, the table is unchanged. */
  @ServerTest
  void cancellingWhileReadyMarksTheRowStopped(TestDatabase db) throws Exception {
    table(db, "cancelled", 1000);
    SentinelRun run = new SentinelRun(db, "ALTER TABLE cancelled ADD INDEX (v)", true, LONG, SentinelFaults.NONE);
    run.await("ready", () -> "ready".equals(SentinelRun.status(db, run.owner)));
    run.runner.cancel();
    assertThat(run.outcome()).isInstanceOfSatisfying(SpiritException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERRUPTED));
    assertThat(SentinelRun.status(db, run.owner)).isEqualTo("stopped");
    assertThat(sentinelExists(db)).isTrue();
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'cancelled' AND COLUMN_NAME = 'v'")).isZero();
  }

  /** Scenario 27: a failing probe is retried, not fatal. */
  @ServerTest
  void aFailingPollIsRetried(TestDatabase db) throws Exception {
    table(db, "flaky", 1000);
    int[] polls = {0};
    SentinelRun run = new SentinelRun(db, "ALTER TABLE flaky ADD INDEX (v)", true, LONG, new SentinelFaults() {
      @Override
      public void beforePoll() {
        if (++polls[0] == 1) {
          throw new IllegalStateException("injected probe failure");
        }
      }
    });
    run.await("two polls", () -> polls[0] >= 3);
    assertThat(run.done).isNotDone();
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
  }

  private static void execute(TestDatabase db, String sql) {
    try {
      db.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
