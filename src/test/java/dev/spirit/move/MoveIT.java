package dev.spirit.move;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.cli.EngineHandlers;
import dev.spirit.cli.Main;
import dev.spirit.testing.MoveWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code spirit move} end to end between two servers of one flavour: the data under concurrent writers, the source
 * retired, what is left on either server.
 */
class MoveIT {
  record Run(int exitCode, String err) {}

  static String dsn(TestDatabase db) {
    return db.server().user() + ":" + db.server().password() + "@tcp(" + db.server().hostAndPort() + ")/"
        + db.schema();
  }

  static Run move(TestDatabase source, TestDatabase target, String... args) {
    return moveTo(source, dsn(target), args);
  }

  /** {@code spirit move} in this process, to a target given by its DSN; its error stream is returned. */
  static Run moveTo(TestDatabase source, String targetDsn, String... args) {
    List<String> all = new ArrayList<>(List.of("move", "--source-dsn", dsn(source), "--target-dsn", targetDsn,
        "--threads", "2", "--write-threads", "2"));
    if (!List.of(args).contains("--lock-wait-timeout")) {
      all.addAll(List.of("--lock-wait-timeout", "10s"));
    }
    all.addAll(List.of(args));
    ByteArrayOutputStream engineErr = new ByteArrayOutputStream();
    StringWriter cliErr = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(cliErr), Map.of(),
        new EngineHandlers(System.out, new PrintStream(engineErr, true, StandardCharsets.UTF_8), false),
        all.toArray(String[]::new));
    return new Run(code, engineErr.toString(StandardCharsets.UTF_8) + cliErr);
  }

  static TestDatabase target(TestDatabase source) {
    return TestServers.moveTargetDatabase(source.server(), MoveIT.class);
  }

  /** Empties both schemas: each test starts from nothing. */
  static void reset(TestDatabase... dbs) throws Exception {
    for (TestDatabase db : dbs) {
      for (List<String> row : db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES"
          + " WHERE TABLE_SCHEMA = DATABASE()")) {
        db.execute("DROP TABLE IF EXISTS `" + row.get(0) + "`");
      }
    }
  }

  static List<String> tables(TestDatabase db) throws Exception {
    return db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " ORDER BY TABLE_NAME").stream().map(r -> r.get(0)).toList();
  }

  static boolean tableExists(TestDatabase db, String table) {
    try {
      return db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
          + " AND TABLE_NAME = '" + table + "'") == 1;
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  static void numbered(TestDatabase db, String table, int rows) throws Exception {
    db.execute("CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY, v INT NOT NULL, KEY v_idx (v))");
    // numbers() counts to 10,000; more rows are that block shifted up.
    for (int from = 0; from < rows; from += 10_000) {
      db.execute("INSERT INTO " + table + " (id, v) SELECT seq + " + from + ", 0 FROM ("
          + dev.spirit.table.ChunkerIT.numbers(Math.min(10_000, rows - from)) + ") n");
    }
  }

  @ServerTest
  void movesTablesUnderWritersAndRetiresTheSource(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    reset(source, target);
    numbered(source, "orders", 6000);
    numbered(source, "items", 6000);
    source.execute("CREATE TABLE notes (k VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY,"
        + " body TEXT)", "INSERT INTO notes VALUES ('a', 'x'), ('B', 'y'), ('c', NULL)");
    Run run;
    try (MoveWriters writers = new MoveWriters(source, List.of("orders", "items"), 3, 6000, 7).start()) {
      run = move(source, target, "--target-chunk-size", "4KB");
      Thread.sleep(300);
      writers.close();
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(writers.errors()).as("application errors other than the retired tables").isEmpty();
      assertThat(writers.retired()).as("writes after the cutover found the source renamed").isPositive();
      for (String table : List.of("orders", "items")) {
        RowDiff.assertSameRows(target.queryRows("SELECT id, v FROM " + table + " ORDER BY id"),
            writers.expectedRows(table));
      }
    }
    assertThat(target.queryRows("SELECT k, body FROM notes ORDER BY k")).containsExactly(List.of("a", "x"),
        List.of("B", "y"), java.util.Arrays.asList("c", null));
    assertThat(tables(source)).containsExactly("items_old", "notes_old", "orders_old");
    assertThat(tables(target)).containsExactly("items", "notes", "orders");
    assertThat(target.queryRows("SHOW CREATE TABLE orders").get(0).get(1)).contains("KEY `v_idx` (`v`)");
    assertThat(run.err()).contains("moved `" + source.schema() + "`.`items`").contains("clean");
  }

  /** A source session idle in a transaction that read the table would fail every cutover attempt; it is ended. */
  @ServerTest
  void anIdleTransactionOnTheSourceIsEndedForTheCutover(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    reset(source, target);
    numbered(source, "idle_src", 3000);
    long blocker;
    Run run;
    java.sql.Connection reader = java.sql.DriverManager.getConnection(source.server().jdbcUrl(source.schema()),
        source.server().user(), source.server().password());
    try {
      reader.setAutoCommit(false);
      try (java.sql.Statement s = reader.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT CONNECTION_ID(), COUNT(*) FROM idle_src")) {
        rs.next();
        blocker = rs.getLong(1);
      }
      run = move(source, target, "--lock-wait-timeout", "2s");
    } finally {
      try {
        reader.close();
      } catch (java.sql.SQLException expected) {
        // ended by the run
      }
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(source.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + blocker))
        .as("the blocker's session").isZero();
    assertThat(tables(source)).containsExactly("idle_src_old");
    assertThat(target.queryLong("SELECT COUNT(*) FROM idle_src")).isEqualTo(3000);
  }

  /**
   * Twenty tables in one move, named with --source-tables, under writers on all of them; two other tables of the
   * schema stay where they are, untouched.
   */
  @ServerTest
  void movesTwentyTablesNamedAndLeavesTheOthers(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    reset(source, target);
    List<String> moved = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      String table = String.format("t%02d", i);
      numbered(source, table, 800);
      moved.add(table);
    }
    numbered(source, "stays_a", 10);
    numbered(source, "stays_b", 10);
    Run run;
    try (MoveWriters writers = new MoveWriters(source, moved, 3, 800, 21).start()) {
      run = move(source, target, "--source-tables", String.join(",", moved), "--target-chunk-size", "4KB");
      Thread.sleep(300);
      writers.close();
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(writers.errors()).isEmpty();
      for (String table : moved) {
        RowDiff.assertSameRows(target.queryRows("SELECT id, v FROM " + table + " ORDER BY id"),
            writers.expectedRows(table));
      }
    }
    List<String> expectedSource = new ArrayList<>(moved.stream().map(t -> t + "_old").toList());
    expectedSource.addAll(List.of("stays_a", "stays_b"));
    assertThat(tables(source)).containsExactlyInAnyOrderElementsOf(expectedSource);
    assertThat(tables(target)).containsExactlyElementsOf(moved);
    assertThat(source.queryLong("SELECT COUNT(*) FROM stays_a")).isEqualTo(10);
  }
}
