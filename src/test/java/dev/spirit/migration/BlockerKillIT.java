package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.db.MetadataLockBlockers;
import dev.spirit.migration.MigrateIT.Run;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.CapturedLog;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Sessions that hold a metadata lock on the migrated table while the run needs its own: an idle transaction that
 * once read the table is ended near the end of the lock wait, so the run gets through; an explicit {@code LOCK
 * TABLES} is an operator's and is never ended, so the run fails naming it and leaves the table as it was.
 */
@Isolated // acts on the whole server (docs/testing.md)
class BlockerKillIT {
  private static final int ROWS = 2000;

  private static void table(TestDatabase db, String name) throws SQLException {
    db.execute("DROP TABLE IF EXISTS " + name, "CREATE TABLE " + name + " (id INT PRIMARY KEY, v INT NOT NULL)",
        "INSERT INTO " + name + " SELECT seq, seq % 13 FROM (" + ChunkerIT.numbers(ROWS) + ") n");
  }

  private static long sessionId(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A session that read the table in a transaction it leaves open: it holds a shared metadata lock until it ends. */
  private static Connection idleReader(TestDatabase db, String table) throws SQLException {
    Connection c = DriverManager.getConnection(db.server().jdbcUrl(db.schema()), db.server().user(),
        db.server().password());
    c.setAutoCommit(false);
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
    }
    return c;
  }

  /** A run through the command line, with what the blocker search logged ahead of the run's own output. */
  private static Run spirit(TestDatabase db, String... args) {
    CapturedLog.Captured<Run> captured = CapturedLog.during(MetadataLockBlockers.class.getName(),
        () -> MigrateIT.spirit(db, args));
    return new Run(captured.result().exitCode(), captured.log() + captured.result().err());
  }

  /** The run, while a session that read {@code table} sits idle in its transaction; that session must be gone. */
  private static Blocked withIdleReader(TestDatabase db, String table, String statement) throws SQLException {
    Connection reader = idleReader(db, table);
    try {
      long blocker = sessionId(reader);
      Run run = spirit(db, "--lock-wait-timeout", "2s", "--statement", statement);
      assertThat(alive(db, blocker)).as("the blocker's session").isFalse();
      return new Blocked(run, blocker);
    } finally {
      closeQuietly(reader);
    }
  }

  private record Blocked(Run run, long blocker) {}

  /** The server ended the session; the driver's rollback on close fails on the dead socket. */
  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException expected) {
      // gone already
    }
  }

  private static boolean alive(TestDatabase db, long session) throws SQLException {
    return db.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + session) == 1;
  }

  @ServerTest
  void anIdleTransactionThatReadTheTableIsEndedAndTheCopyCutsOver(TestDatabase db) throws Exception {
    table(db, "idle_held");
    List<List<String>> before = db.queryRows("SELECT id, v FROM idle_held ORDER BY id");
    Blocked b = withIdleReader(db, "idle_held", "ALTER TABLE idle_held MODIFY v BIGINT NOT NULL");
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.run().err()).contains("by shadow table copy")
        .containsPattern("ended session " + b.blocker() + " \\([^)]*, idle, transaction open \\d+ s\\) holding"
            + " \\S+ on `" + db.schema() + "`\\.`idle_held` to let the cutover's (lock|rename) through");
    assertThat(db.queryString("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'idle_held' AND COLUMN_NAME = 'v'")).isEqualTo("bigint");
    RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM idle_held ORDER BY id"), before);
  }

  @ServerTest
  void anIdleTransactionIsEndedForTheInstantChange(TestDatabase db) throws Exception {
    table(db, "idle_instant");
    Blocked b = withIdleReader(db, "idle_instant", "ALTER TABLE idle_instant ADD COLUMN note VARCHAR(10) NULL");
    assertThat(b.run().exitCode()).as(b.run().err()).isZero();
    assertThat(b.run().err()).contains("ALGORITHM=INSTANT").contains("ended session " + b.blocker() + " (")
        .contains("to let the ALGORITHM=INSTANT attempt through");
    assertThat(FailClosedIT.hasColumn(db, "idle_instant", "note")).isTrue();
  }

  @ServerTest
  void anExplicitLockTablesIsNeverEndedAndTheRunFailsNamingIt(TestDatabase db) throws Exception {
    table(db, "locked_held");
    List<List<String>> before = db.queryRows("SELECT id, v FROM locked_held ORDER BY id");
    Run run;
    try (Connection locker = db.connection(); Statement s = locker.createStatement()) {
      long holder = sessionId(locker);
      s.execute("LOCK TABLES locked_held READ");
      run = spirit(db, "--lock-wait-timeout", "2s", "--statement",
          "ALTER TABLE locked_held MODIFY v BIGINT NOT NULL");
      assertThat(alive(db, holder)).as("the LOCK TABLES session").isTrue();
      s.execute("UNLOCK TABLES");
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err()).contains("blocked by session " + holder + " (")
          .contains("it holds an explicit LOCK TABLES; run UNLOCK TABLES in that session")
          .doesNotContain("ended session");
    }
    assertThat(db.queryString("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'locked_held' AND COLUMN_NAME = 'v'")).isEqualTo("int");
    RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM locked_held ORDER BY id"), before);
  }

  @ServerTest
  void aUserWhoCannotEndSessionsIsWarnedOnceAndTheRunGoesOn(TestDatabase db) throws Exception {
    table(db, "unprivileged");
    db.execute("DROP USER IF EXISTS 'mdl_plain'@'%'", "CREATE USER 'mdl_plain'@'%' IDENTIFIED BY 'plain'",
        "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'mdl_plain'@'%'",
        "GRANT " + String.join(", ", Privileges.SCHEMA_PRIVILEGES) + " ON `" + db.schema() + "`.* TO 'mdl_plain'@'%'");
    try {
      Run run = spirit(db, "--username", "mdl_plain", "--password", "plain", "--statement",
          "ALTER TABLE unprivileged MODIFY v BIGINT NOT NULL");
      assertThat(run.exitCode()).as(run.err()).isZero();
      String warning = "spirit cannot end the sessions that block its table locks; missing: ";
      assertThat(run.err().split(java.util.regex.Pattern.quote(warning), -1)).as(run.err()).hasSize(2);
      assertThat(run.err()).contains("PROCESS ON *.*")
          .contains("CONNECTION_ADMIN (MariaDB: CONNECTION ADMIN) or SUPER ON *.*");
    } finally {
      db.execute("DROP USER IF EXISTS 'mdl_plain'@'%'");
    }
  }
}
