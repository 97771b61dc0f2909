package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.cli.EngineHandlers;
import dev.spirit.cli.Main;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.CountingWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code spirit migrate} end to end, through the command line, against each server. */
class MigrateIT {

  record Run(int exitCode, String err) {}

  static Run spirit(TestDatabase db, String... args) {
    return spiritIn(db, db.schema(), args);
  }

  /** {@link #spirit} with {@code --database schema}. */
  static Run spiritIn(TestDatabase db, String schema, String... args) {
    List<String> all = new ArrayList<>(List.of("migrate", "--host", db.server().hostAndPort(), "--database", schema,
        "--threads", "2"));
    Map<String, String> defaults = new java.util.LinkedHashMap<>();
    defaults.put("--username", db.server().user());
    defaults.put("--password", db.server().password());
    defaults.put("--lock-wait-timeout", "10s");
    defaults.forEach((flag, value) -> {
      if (!List.of(args).contains(flag)) {
        all.addAll(List.of(flag, value));
      }
    });
    all.addAll(List.of(args));
    ByteArrayOutputStream engineErr = new ByteArrayOutputStream();
    StringWriter cliErr = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(cliErr), Map.of(),
        new EngineHandlers(System.out, new PrintStream(engineErr, true, StandardCharsets.UTF_8), false),
        all.toArray(String[]::new));
    return new Run(code, engineErr.toString(StandardCharsets.UTF_8) + cliErr);
  }

  private static List<String> helperTables(TestDatabase db, String table) throws Exception {
    return db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND (TABLE_NAME LIKE '\\_" + table + "\\_%' OR TABLE_NAME LIKE '" + table + "\\_spirit%')")
        .stream().map(r -> r.get(0)).toList();
  }

  @ServerTest
  void copiesVerifiesAndSwapsUnderConcurrentWrites(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS orders",
        "CREATE TABLE orders (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(20) DEFAULT 'n')",
        "INSERT INTO orders (id, v) SELECT seq, 0 FROM (" + ChunkerIT.numbers(8000) + ") n");
    Run run;
    try (CountingWriters writers = new CountingWriters(db, "orders", 4, 8000, 5).start()) {
      run = spirit(db, "--statement", "ALTER TABLE orders ADD COLUMN extra INT NOT NULL DEFAULT 7, ADD INDEX (v)");
      Thread.sleep(200);
      writers.close();
      assertThat(writers.errors()).as("application errors").isEmpty();
      assertThat(run.exitCode()).as(run.err()).isZero();
      RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM orders ORDER BY id"), writers.expectedRows());
    }
    assertThat(run.err()).contains("by shadow table copy").contains("checksum:").contains("clean")
        .contains("old table: dropped");
    for (String when : List.of("checksum start", "cutover")) {
      java.util.regex.Matcher blocked = java.util.regex.Pattern.compile(
          "\\n  " + when + ": writes to `[^`]+`\\.`orders` blocked for (\\d+) ms").matcher(run.err());
      assertThat(blocked.find()).as(run.err()).isTrue();
      assertThat(Long.parseLong(blocked.group(1))).as("writes blocked at the " + when + ", ms").isLessThan(1000);
    }
    assertThat(db.queryLong("SELECT COUNT(*) FROM orders WHERE extra = 7"))
        .isEqualTo(db.queryLong("SELECT COUNT(*) FROM orders"));
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'v'")).isOne();
    assertThat(helperTables(db, "orders")).isEmpty();
  }

  @ServerTest
  void onMySqlTheCopyAndTheChecksumReadsRunInTheLowPriorityResourceGroup(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS niced", "CREATE TABLE niced (id INT PRIMARY KEY, v INT NOT NULL)",
        "INSERT INTO niced (id, v) SELECT seq, seq FROM (" + ChunkerIT.numbers(3000) + ") n");
    if (!db.server().isMariaDb()) {
      // The digest table has a fixed number of rows, which the whole suite's statements can fill; once full, new
      // statements are only counted in its catch-all row. Emptied, it has room for this run's statements.
      db.execute("TRUNCATE performance_schema.events_statements_summary_by_digest");
    }
    Run run = spirit(db, "--statement", "ALTER TABLE niced ADD INDEX (v)");
    assertThat(run.exitCode()).as(run.err()).isZero();
    if (db.server().isMariaDb()) {
      assertThat(run.err()).contains("run at normal priority").contains("has no resource groups");
      return;
    }
    assertThat(run.err()).contains("run at resource group spirit_background (thread priority 19)");
    // The server's own record of what ran: hinted copy and checksum statements, none of them with a warning.
    String hinted = "SELECT COALESCE(SUM(COUNT_STAR), 0) FROM performance_schema.events_statements_summary_by_digest"
        + " WHERE SCHEMA_NAME = DATABASE() AND SUM_WARNINGS = 0 AND DIGEST_TEXT LIKE '%s /*+ RESOURCE_GROUP ("
        + " `spirit_background` ) */ %s'";
    assertThat(db.queryLong(String.format(hinted, "INSERT", "IGNORE INTO %`_niced_new`%"))).isPositive();
    assertThat(db.queryLong(String.format(hinted, "SELECT", "COUNT ( * )%"))).isPositive(); // long digests are cut
  }

  @ServerTest
  void takesTheInstantPathWhenTheServerCan(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS quick", "CREATE TABLE quick (id INT PRIMARY KEY)", "INSERT INTO quick VALUES (1)");
    Run run = spirit(db, "--table", "quick", "--alter", "ADD COLUMN c INT");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("ALGORITHM=INSTANT");
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'quick' AND COLUMN_NAME = 'c'")).isOne();
  }

  @ServerTest
  void keepsTheOldTableWhenAsked(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS kept", "CREATE TABLE kept (id INT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO kept VALUES (1, 'a'), (2, 'b')");
    Run run = spirit(db, "--statement", "ALTER TABLE kept ADD INDEX (v)", "--skip-drop-after-cutover");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("kept as");
    List<String> helpers = helperTables(db, "kept");
    assertThat(helpers).hasSize(1);
    assertThat(helpers.get(0)).matches("_kept_old_\\d{8}_\\d{6}");
    assertThat(db.queryRows("SELECT id, v FROM `" + helpers.get(0) + "` ORDER BY id"))
        .isEqualTo(db.queryRows("SELECT id, v FROM kept ORDER BY id"));
  }

  @ServerTest
  void lossyChangeFailsAndLeavesTheTableAsItWas(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS lossy", "CREATE TABLE lossy (id INT PRIMARY KEY, v VARCHAR(20))",
        "INSERT INTO lossy VALUES (1, 'short'), (2, 'much too long for it')");
    String before = db.queryString("SHOW CREATE TABLE lossy");
    Run run = spirit(db, "--statement", "ALTER TABLE lossy MODIFY v VARCHAR(5)");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("would change data").contains("'v'").contains("unchanged");
    assertThat(db.queryString("SHOW CREATE TABLE lossy")).isEqualTo(before);
    assertThat(db.queryLong("SELECT COUNT(*) FROM lossy")).isEqualTo(2);
    assertThat(helperTables(db, "lossy")).isEmpty();
  }

  @ServerTest
  void refusalsExitThreeAndChangeNothing(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS child", "DROP TABLE IF EXISTS parent", "DROP TABLE IF EXISTS nokey",
        "DROP TABLE IF EXISTS trig",
        "CREATE TABLE nokey (v INT)",
        "CREATE TABLE parent (id INT PRIMARY KEY)",
        "CREATE TABLE child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES parent (id))",
        "CREATE TABLE trig (id INT PRIMARY KEY, v INT)",
        "CREATE TRIGGER trig_bi BEFORE INSERT ON trig FOR EACH ROW SET NEW.v = 1");
    assertRefused(db, "nokey", "ALTER TABLE nokey ADD INDEX (v)", "no primary key");
    assertRefused(db, "parent", "ALTER TABLE parent ADD COLUMN x INT, ADD INDEX (x)", "foreign keys");
    assertRefused(db, "child", "ALTER TABLE child ADD INDEX (p, id)", "foreign keys");
    assertRefused(db, "trig", "ALTER TABLE trig ADD INDEX (v)", "triggers");
    assertRefused(db, "trig", "ALTER TABLE trig ADD INDEX (v), ALGORITHM=INPLACE", "ALGORITHM");
    assertRefused(db, "trig", "ALTER TABLE trig DROP PRIMARY KEY", "primary key");
    assertRefused(db, "missing", "ALTER TABLE missing ADD COLUMN x INT", "does not exist");
  }

  @ServerTest
  void aSecondRunOnTheSameTableIsRefusedNamingTheHolder(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS busy", "CREATE TABLE busy (id INT PRIMARY KEY, v INT)");
    try (Connection holder = db.connection();
        PreparedStatement ps = holder.prepareStatement("SELECT GET_LOCK(?, 0)")) {
      ps.setString(1, dev.spirit.db.AdvisoryLock.nameFor(db.schema(), "busy"));
      ps.executeQuery().close();
      Run run = spirit(db, "--statement", "ALTER TABLE busy ADD INDEX (v)");
      assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
      assertThat(run.err()).contains("another spirit run").contains("held by connection");
    }
    assertThat(helperTables(db, "busy")).isEmpty();
  }

  @ServerTest
  void wrongPasswordIsAUsageErrorInOneLine(TestDatabase db) {
    List<String> args = new ArrayList<>(List.of("migrate", "--host", db.server().hostAndPort(), "--username",
        db.server().user(), "--password", "wrong", "--database", db.schema(), "--statement",
        "ALTER TABLE t ADD INDEX (v)"));
    StringWriter cliErr = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(cliErr), Map.of(),
        new EngineHandlers(System.out, System.err, false), args.toArray(String[]::new));
    assertThat(code).isEqualTo(2);
    assertThat(cliErr.toString()).contains("access denied").doesNotContain("wrong").doesNotContain("\tat ");
  }

  @ServerTest
  void anUnreachableHostIsAUsageErrorInOneLine(TestDatabase db) {
    StringWriter cliErr = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(cliErr), Map.of(),
        new EngineHandlers(System.out, System.err, false), "migrate", "--host", "127.0.0.1:1", "--database", db.schema(),
        "--statement", "ALTER TABLE t ADD INDEX (v)");
    assertThat(code).isEqualTo(2);
    assertThat(cliErr.toString().strip().lines()).hasSize(1).first().asString()
        .contains("cannot connect to 127.0.0.1:1").contains("check --host");
  }

  @ServerTest
  void aReplicaThatCannotBeReachedIsRefusedBeforeAnyChangeWhateverTheChange(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS later", "CREATE TABLE later (id INT PRIMARY KEY, v INT)");
    Run replica = spirit(db, "--statement", "ALTER TABLE later ADD INDEX (v)", "--replica-dsn",
        "u:p@tcp(127.0.0.1:1)/");
    assertThat(replica.exitCode()).as(replica.err()).isEqualTo(2);
    assertThat(replica.err()).contains("cannot connect to 127.0.0.1:1");
    assertThat(helperTables(db, "later")).isEmpty();
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'later' AND COLUMN_NAME = 'v'")).isZero();
  }

  @ServerTest
  void runsCreateTableDirectly(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS fresh");
    Run run = spirit(db, "--statement", "CREATE TABLE fresh (id INT PRIMARY KEY)");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'fresh'")).isOne();
  }

  private static void assertRefused(TestDatabase db, String table, String statement, String reason)
      throws Exception {
    Run run = spirit(db, "--statement", statement);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).containsIgnoringCase(reason).contains(table);
    assertThat(helperTables(db, table)).isEmpty();
  }
}
