package dev.spirit.move;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.db.AdvisoryLock;
import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code spirit move} refuses before it changes anything: each case exits 3 (or 2 for a usage problem) with a
 * line naming the table, the reason and the fix, and both servers hold exactly what they held before: the same
 * tables, definitions and rows, nothing of spirit's.
 */
class MoveRefusalsIT {
  private static TestDatabase target(TestDatabase source) {
    return TestServers.moveTargetDatabase(source.server(), MoveRefusalsIT.class);
  }

  /** Every table of the schema with its definition and row count. */
  private static List<String> contents(TestDatabase db) throws Exception {
    List<String> state = new ArrayList<>();
    for (String table : MoveIT.tables(db)) {
      state.add(db.queryRows("SHOW CREATE TABLE `" + table + "`").get(0).get(1) + " rows="
          + db.queryLong("SELECT COUNT(*) FROM `" + table + "`"));
    }
    return state;
  }

  /** Runs a move that must be refused and asserts that nothing changed on either server. */
  private static MoveIT.Run refused(TestDatabase source, TestDatabase target, int exitCode, String... args)
      throws Exception {
    List<String> sourceBefore = contents(source);
    List<String> targetBefore = contents(target);
    MoveIT.Run run = MoveIT.move(source, target, args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err()).as("a move's refusal speaks of moving").doesNotContain("refusing to migrate");
    assertThat(contents(source)).as("the source after a refusal").isEqualTo(sourceBefore);
    assertThat(contents(target)).as("the target after a refusal").isEqualTo(targetBefore);
    return run;
  }

  @ServerTest
  void aTableWithoutPrimaryKeyIsRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "fine", 10);
    source.execute("CREATE TABLE nokey (a INT, b INT)", "INSERT INTO nokey VALUES (1, 2)");
    MoveIT.Run run = refused(source, target, 3);
    assertThat(run.err()).contains("`" + source.schema() + "`.`nokey`").containsIgnoringCase("primary key");
  }

  @ServerTest
  void foreignKeysAndTriggersAreRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    source.execute("CREATE TABLE parent (id INT PRIMARY KEY)",
        "CREATE TABLE child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES parent (id))");
    MoveIT.Run run = refused(source, target, 3, "--source-tables", "child");
    assertThat(run.err()).contains("`child`").containsIgnoringCase("foreign key");
    run = refused(source, target, 3, "--source-tables", "parent");
    assertThat(run.err()).contains("`parent`").containsIgnoringCase("foreign key");

    source.execute("DROP TABLE child", "DROP TABLE parent", "CREATE TABLE audited (id INT PRIMARY KEY, v INT)",
        "CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
        "CREATE TRIGGER audited_ai AFTER INSERT ON audited FOR EACH ROW INSERT INTO log (v) VALUES (NEW.v)");
    run = refused(source, target, 3, "--source-tables", "audited");
    assertThat(run.err()).contains("`audited`").containsIgnoringCase("trigger");
  }

  @ServerTest
  void anOldNameClashIsRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 10);
    source.execute("CREATE TABLE orders_old (id INT PRIMARY KEY)");
    MoveIT.Run run = refused(source, target, 3, "--source-tables", "orders");
    assertThat(run.err()).contains("`" + source.schema() + "`.`orders_old`").contains("exists already")
        .contains("Drop or rename");
  }

  @ServerTest
  void aMissingTableIsRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 10);
    MoveIT.Run run = refused(source, target, 3, "--source-tables", "orders,nosuch");
    assertThat(run.err()).contains("`" + source.schema() + "`.`nosuch`").contains("--source-tables");
  }

  @ServerTest
  void aTargetTableWithRowsOrAnotherDefinitionIsRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 10);
    target.execute("CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, v INT NOT NULL, KEY v_idx (v))",
        "INSERT INTO orders VALUES (1, 1)");
    MoveIT.Run run = refused(source, target, 3);
    assertThat(run.err()).contains("orders").contains("--force");

    target.execute("DROP TABLE orders", "CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, v BIGINT NOT NULL)");
    run = refused(source, target, 3);
    assertThat(run.err()).contains("orders").contains("`v`").contains("--force");
  }

  @ServerTest
  void forceReplacesAnEmptiedOrDifferentTargetTable(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 500);
    target.execute("CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, v BIGINT NOT NULL)",
        "INSERT INTO orders VALUES (999999, 5)");
    MoveIT.Run run = MoveIT.move(source, target, "--force");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(target.queryLong("SELECT COUNT(*) FROM orders")).isEqualTo(500);
    assertThat(target.queryLong("SELECT COUNT(*) FROM orders WHERE id = 999999")).isZero();
    assertThat(target.queryRows("SHOW CREATE TABLE orders").get(0).get(1)).contains("KEY `v_idx` (`v`)")
        .contains("`v` int");
    assertThat(MoveIT.tables(source)).containsExactly("orders_old");
  }

  @ServerTest
  void flagsNotBuiltYetAreRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 10);
    MoveIT.Run run = refused(source, target, 3, "--reverse-window", "1h");
    assertThat(run.err()).contains("--reverse-window");
    run = refused(source, target, 3, "--replica-dsn", MoveIT.dsn(source));
    assertThat(run.err()).contains("--replica-dsn");
  }

  @ServerTest
  void aMissingTargetSchemaIsRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 10);
    List<String> before = contents(source);
    String dsn = target.server().user() + ":" + target.server().password() + "@tcp("
        + target.server().hostAndPort() + ")/no_such_schema_here";
    MoveIT.Run run = MoveIT.moveTo(source, dsn);
    assertThat(run.exitCode()).as(run.err()).isIn(2, 3);
    assertThat(run.err()).contains("no_such_schema_here");
    assertThat(contents(source)).isEqualTo(before);
    assertThat(target.queryLong("SELECT COUNT(*) FROM information_schema.SCHEMATA"
        + " WHERE SCHEMA_NAME = 'no_such_schema_here'")).isZero();
  }

  /** A table another run holds (its advisory lock) is refused: two moves, or a move and a migration, of one table. */
  @ServerTest
  void aTableAnotherRunHoldsIsRefused(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 10);
    // A session of its own, closed afterwards (a pooled one would keep the lock for the next test).
    try (Connection other = MirroredWriters.session(source, List.of()); Statement s = other.createStatement();
        ResultSet rs = s.executeQuery("SELECT GET_LOCK('" + AdvisoryLock.nameFor(source.schema(), "orders")
            + "', 0)")) {
      assertThat(rs.next() && rs.getInt(1) == 1).as("the other run's lock").isTrue();
      MoveIT.Run run = refused(source, target, 3);
      assertThat(run.err()).contains("`orders`");
    }
  }
}
