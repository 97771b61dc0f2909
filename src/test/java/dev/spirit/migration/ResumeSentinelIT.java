package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sentinel across a resume (shared/reference/spirit-move-sentinel.md §8, scenarios 17–20), with the real
 * process: a run reaches {@code ready}, is SIGKILLed (its row stays a stale {@code ready}), and the same command is
 * run again.
 */
class ResumeSentinelIT {

  private static void table(TestDatabase db, String name) throws SQLException {
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel", "DROP TABLE IF EXISTS " + name,
        "DROP TABLE IF EXISTS _" + name + "_new", "DROP TABLE IF EXISTS _" + name + "_chkpnt",
        "CREATE TABLE " + name + " (id INT PRIMARY KEY, v INT)",
        "INSERT INTO " + name + " SELECT seq, seq FROM (" + ChunkerIT.numbers(10000) + ") n",
        "INSERT INTO " + name + " SELECT id + 10000, v FROM " + name);
  }

  private static String owner(TestDatabase db, String table) {
    return "migrate:" + db.schema() + "." + table;
  }

  private static boolean exists(TestDatabase db, String table) throws SQLException {
    return db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = '" + table + "'") == 1;
  }

  private static String[] args(String table, String... more) {
    List<String> all = new ArrayList<>(List.of("--defer-cutover"));
    all.addAll(List.of(more));
    all.addAll(List.of("--statement", "ALTER TABLE " + table + " ADD INDEX (v)"));
    return all.toArray(String[]::new);
  }

  /** Runs to the wait point and kills the process there: a stale ready row, the shadow and the checkpoint stay. */
  private static void readyThenKilled(TestDatabase db, String table) throws Exception {
    table(db, table);
    SpiritProcess first = SpiritProcess.migrate(db, args(table));
    first.await("ready", () -> "ready".equals(SentinelRun.status(db, owner(db, table))));
    first.kill();
    assertThat(SentinelRun.status(db, owner(db, table))).isEqualTo("ready");
    assertThat(db.queryLong("SELECT copy_completed FROM _" + table + "_chkpnt")).isOne();
    assertThat(exists(db, "_" + table + "_new")).isTrue();
  }

  /** Records each change of the row's status (null: no row or no table) until closed. */
  private static final class StatusTrail implements AutoCloseable {
    private final List<String> trail = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    StatusTrail(TestDatabase db, String owner) {
      thread = new Thread(() -> {
        String last = "<none>";
        while (!stop) {
          String now = SentinelRun.status(db, owner);
          if (!Objects.equals(now, last)) {
            synchronized (trail) {
              trail.add(now);
            }
            last = now;
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "status-trail");
      thread.setDaemon(true);
      thread.start();
    }

    boolean endsReady() {
      List<String> now = trail();
      return now.size() > 1 && "ready".equals(now.get(now.size() - 1));
    }

    List<String> trail() {
      synchronized (trail) {
        return new ArrayList<>(trail);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(5000);
    }
  }

  /** Scenario 17 with resume: the stale ready goes back to copying before any work, then ready at the wait. */
  @ServerTest
  void aResumedRunResetsItsStaleReadyThenWaitsAgain(TestDatabase db) throws Exception {
    readyThenKilled(db, "restarted");
    String owner = owner(db, "restarted");
    try (StatusTrail trail = new StatusTrail(db, owner)) {
      SpiritProcess second = SpiritProcess.migrate(db, args("restarted"));
      second.await("copying again, then ready", () -> trail.trail().contains("copying") && trail.endsReady());
      assertThat(trail.trail()).as("status changes").containsExactly("ready", "copying", "ready");
      Thread.sleep(1500);
      assertThat(second.alive()).as("waits again:\n%s", second.output()).isTrue();
      assertThat(second.output()).contains("resuming the migration of").contains("copy completed");
      db.execute("DROP TABLE _spirit_sentinel");
      assertThat(second.exitCode()).as(second.output()).isZero();
    }
    assertThat(exists(db, "_restarted_new")).isFalse();
    assertThat(exists(db, "_restarted_chkpnt")).isFalse();
  }

  /** Scenario 18: the sentinel dropped while spirit was down: resume, create none, cut over after the checksum. */
  @ServerTest
  void aSentinelDroppedWhileDownIsAReleaseAndIsNotRecreated(TestDatabase db) throws Exception {
    readyThenKilled(db, "released");
    db.execute("DROP TABLE _spirit_sentinel");
    SpiritProcess second = SpiritProcess.migrate(db, args("released"));
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("resuming the migration of")
        .contains("was dropped while spirit was not running").contains("checksum:")
        .doesNotContain("cutover deferred");
    assertThat(exists(db, "_spirit_sentinel")).as("no sentinel created on resume").isFalse();
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'released' AND COLUMN_NAME = 'v'")).isPositive();
    assertThat(exists(db, "_released_new")).isFalse();
    assertThat(exists(db, "_released_chkpnt")).isFalse();
  }

  /** Scenario 19: the own row deleted while down, the table kept: re-inserted as copying, the gate stays closed. */
  @ServerTest
  void anOwnRowDeletedWhileDownIsRegisteredAgain(TestDatabase db) throws Exception {
    readyThenKilled(db, "reinserted");
    String owner = owner(db, "reinserted");
    db.execute("DELETE FROM _spirit_sentinel WHERE owner = '" + owner + "'");
    try (StatusTrail trail = new StatusTrail(db, owner)) {
      SpiritProcess second = SpiritProcess.migrate(db, args("reinserted"));
      second.await("ready", trail::endsReady);
      assertThat(trail.trail()).as("status changes").containsExactly(null, "copying", "ready");
      Thread.sleep(1500);
      assertThat(second.alive()).as("the gate stays closed:\n%s", second.output()).isTrue();
      assertThat(second.output()).contains("resuming the migration of");
      db.execute("DROP TABLE _spirit_sentinel");
      assertThat(second.exitCode()).as(second.output()).isZero();
    }
  }

  /** Scenario 20: the wait limit keeps shadow and checkpoint; the re-run resumes and waits again. */
  @ServerTest
  void aWaitLimitKeepsTheCheckpointAndTheRerunWaitsAgain(TestDatabase db) throws Exception {
    table(db, "timedout");
    String owner = owner(db, "timedout");
    SpiritProcess first = SpiritProcess.migrate(db, args("timedout", "--defer-cutover-timeout", "2s"));
    assertThat(first.exitCode()).as(first.output()).isEqualTo(1);
    assertThat(first.output()).contains("timed out waiting for sentinel table")
        .contains("running the same command again resumes").contains("_timedout_new").contains("_timedout_chkpnt");
    assertThat(SentinelRun.status(db, owner)).isEqualTo("stopped");
    assertThat(exists(db, "_spirit_sentinel")).isTrue();
    assertThat(exists(db, "_timedout_new")).isTrue();
    assertThat(db.queryLong("SELECT copy_completed FROM _timedout_chkpnt")).isOne();

    try (StatusTrail trail = new StatusTrail(db, owner)) {
      SpiritProcess second = SpiritProcess.migrate(db, args("timedout", "--defer-cutover-timeout", "10m"));
      second.await("ready", trail::endsReady);
      assertThat(trail.trail()).as("status changes").containsExactly("stopped", "copying", "ready");
      Thread.sleep(1500);
      assertThat(second.alive()).as("waits again:\n%s", second.output()).isTrue();
      assertThat(second.output()).contains("resuming the migration of");
      db.execute("DROP TABLE _spirit_sentinel");
      assertThat(second.exitCode()).as(second.output()).isZero();
    }
    assertThat(exists(db, "_timedout_new")).isFalse();
    assertThat(exists(db, "_timedout_chkpnt")).isFalse();
  }
}
