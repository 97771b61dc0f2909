package dev.spirit.move;

import static dev.spirit.migration.SentinelAdminIT.sentinel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.migration.SentinelAdminIT;
import dev.spirit.migration.SpiritProcess;
import dev.spirit.testing.MoveWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a move: the operator's cutover hook (failing, then succeeding), the readiness sentinel on the target
 * released by {@code spirit sentinel release}, a DDL on a moved source table, and deferred secondary indexes.
 */
class MoveCutoverIT {
  private static TestDatabase target(TestDatabase source) {
    return TestServers.moveTargetDatabase(source.server(), MoveCutoverIT.class);
  }

  private static List<String> processArgs(TestDatabase source, TestDatabase target, String... extra) {
    List<String> args = new ArrayList<>(List.of("move", "--source-dsn", MoveIT.dsn(source), "--target-dsn",
        MoveIT.dsn(target), "--threads", "1", "--write-threads", "1", "--target-chunk-size", "1KB"));
    args.addAll(List.of(extra));
    return args;
  }

  /** Holds the copy of {@code table} at {@code key}: an uncommitted row on the target that the copy's insert waits for. */
  private static Connection stall(TestDatabase target, SpiritProcess run, String table, long key) throws Exception {
    run.await("the checkpoint table", () -> MoveIT.tableExists(target, MoveState.CHECKPOINT));
    Connection c = target.connection();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + table + " (id, v) VALUES (" + key + ", -1)");
    }
    return c;
  }

  private static void release(Connection stall) throws SQLException {
    stall.rollback();
    stall.close();
  }

  private static String sentinelStatus(TestDatabase target) {
    try {
      List<List<String>> rows = target.queryRows("SELECT status FROM _spirit_sentinel WHERE owner LIKE 'move:%'");
      return rows.isEmpty() ? null : rows.get(0).get(0);
    } catch (SQLException e) {
      return null;
    }
  }

  /**
   * A failing hook stops the cutover with the source serving and renamed nothing; the same command without the hook
   * resumes and completes, and the target equals the writers' copy through both runs.
   */
  @ServerTest
  void aFailingHookLeavesTheSourceServingAndTheMoveResumes(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 3000);
    Path ran = Files.createTempFile("spirit-hook", ".txt");
    try (MoveWriters writers = new MoveWriters(source, List.of("orders"), 2, 3000, 5).start()) {
      MoveIT.Run failed = MoveIT.move(source, target, "--cutover-hook", "echo ran >> " + ran + "; exit 7");
      assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
      assertThat(failed.err()).contains("--cutover-hook exited with status 7").contains("nothing was renamed");
      assertThat(Files.readAllLines(ran)).containsExactly("ran");
      assertThat(MoveIT.tables(source)).containsExactly("orders");
      long before = writers.writes();
      while (writers.writes() < before + 100) {
        Thread.sleep(10); // the source keeps serving
      }
      assertThat(writers.retired()).as("no write found the source renamed").isZero();

      String script = "printf '%s|%s|%s' \"$SPIRIT_MOVE_TABLES\" \"$SPIRIT_MOVE_SOURCE_SCHEMA\""
          + " \"$SPIRIT_MOVE_TARGET_SCHEMA\" > " + ran;
      MoveIT.Run again = MoveIT.move(source, target, "--cutover-hook", script);
      Thread.sleep(200);
      writers.close();
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(again.err()).contains("resuming `" + source.schema() + "`.`orders`");
      assertThat(Files.readString(ran)).isEqualTo("orders|" + source.schema() + "|" + target.schema());
      assertThat(writers.errors()).isEmpty();
      RowDiff.assertSameRows(target.queryRows("SELECT id, v FROM orders ORDER BY id"), writers.expectedRows("orders"));
    } finally {
      Files.deleteIfExists(ran);
    }
    assertThat(MoveIT.tables(source)).containsExactly("orders_old");
  }

  /**
   * --defer-cutover: the target's sentinel row reads copying while the copy runs and ready only at the wait point;
   * {@code spirit sentinel status} and {@code release} pointed at the target drive it as for a migration.
   */
  @ServerTest
  void theSentinelOnTheTargetGatesTheCutover(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 5000);
    SpiritProcess run = SpiritProcess.start(processArgs(source, target, "--defer-cutover"));
    Connection stall = stall(target, run, "orders", 5000);
    try {
      run.await("the sentinel row", () -> sentinelStatus(target) != null);
      assertThat(sentinelStatus(target)).as("while the copy is held").isEqualTo("copying");
      assertThat(sentinel(target, "status").exitCode()).as("not ready yet").isNotZero();
    } finally {
      release(stall);
    }
    run.await("ready", () -> "ready".equals(sentinelStatus(target)));
    SentinelAdminIT.Result status = sentinel(target, "status");
    assertThat(status.exitCode()).as(status.out()).isZero();
    assertThat(MoveIT.tables(source)).as("nothing renamed while waiting").containsExactly("orders");
    source.execute("INSERT INTO orders (id, v) VALUES (7000000, 1)", "UPDATE orders SET v = 2 WHERE id = 1");
    SentinelAdminIT.Result released = sentinel(target, "release");
    assertThat(released.exitCode()).as(released.out()).isZero();
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(MoveIT.tables(source)).containsExactly("orders_old");
    assertThat(MoveIT.tables(target)).as("the release dropped the sentinel").containsExactly("orders");
    assertThat(target.queryLong("SELECT COUNT(*) FROM orders")).isEqualTo(5001);
    assertThat(target.queryLong("SELECT v FROM orders WHERE id = 1")).isEqualTo(2);
  }

  /**
   * The wait limit stops the run with its row {@code stopped} and keeps the target tables and the checkpoint; the same
   * command resumes, waits again, and a release by dropping the target's sentinel cuts over.
   */
  @ServerTest
  void aWaitLimitKeepsTheMoveAndTheRerunWaitsAgain(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 3000);
    SpiritProcess first = SpiritProcess.start(processArgs(source, target, "--defer-cutover",
        "--defer-cutover-timeout", "2s"));
    assertThat(first.exitCode()).as(first.output()).isEqualTo(1);
    assertThat(first.output()).contains("timed out").contains("resumes");
    assertThat(sentinelStatus(target)).isEqualTo("stopped");
    assertThat(MoveIT.tables(target)).containsExactlyInAnyOrder("_spirit_move_checkpoint", "_spirit_sentinel", "orders");
    assertThat(MoveIT.tables(source)).containsExactly("orders");

    SpiritProcess second = SpiritProcess.start(processArgs(source, target, "--defer-cutover",
        "--defer-cutover-timeout", "10m"));
    second.await("ready again", () -> "ready".equals(sentinelStatus(target)));
    assertThat(second.output()).contains("resuming `" + source.schema() + "`.`orders`");
    source.execute("INSERT INTO orders (id, v) VALUES (9000000, 7)");
    target.execute("DROP TABLE _spirit_sentinel");
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(target.queryLong("SELECT v FROM orders WHERE id = 9000000")).isEqualTo(7);
    assertThat(MoveIT.tables(source)).containsExactly("orders_old");
    assertThat(MoveIT.tables(target)).containsExactly("orders");
  }

  /** A DDL on a moved source table while the move runs stops it, naming the table; the source is not renamed. */
  @ServerTest
  void aDdlOnAMovedSourceTableStopsTheMove(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 5000);
    SpiritProcess run = SpiritProcess.start(processArgs(source, target));
    Connection stall = stall(target, run, "orders", 5000);
    try {
      source.execute("ALTER TABLE orders ADD COLUMN extra INT NULL");
    } finally {
      release(stall);
    }
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("`orders`").containsIgnoringCase("changed");
    assertThat(MoveIT.tables(source)).containsExactly("orders");
    assertThat(source.queryLong("SELECT COUNT(*) FROM orders")).isEqualTo(5000);
  }

  /**
   * --defer-secondary-indexes: the target tables are created without their secondary indexes, which are built after
   * the copy while changes keep being applied; the result has every index and every row.
   */
  @ServerTest
  void deferredSecondaryIndexesAreBuiltBeforeTheCutover(TestDatabase source) throws Exception {
    TestDatabase target = target(source);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 6000);
    source.execute("ALTER TABLE orders ADD COLUMN s VARCHAR(20) NOT NULL DEFAULT 'x', ADD UNIQUE KEY s_v (s, v, id)");
    try (MoveWriters writers = new MoveWriters(source, List.of("orders"), 2, 6000, 3).start()) {
      MoveIT.Run run = MoveIT.move(source, target, "--defer-secondary-indexes");
      Thread.sleep(200);
      writers.close();
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(writers.errors()).isEmpty();
      RowDiff.assertSameRows(target.queryRows("SELECT id, v FROM orders ORDER BY id"), writers.expectedRows("orders"));
    }
    String created = target.queryRows("SHOW CREATE TABLE orders").get(0).get(1);
    assertThat(created).contains("KEY `v_idx` (`v`)").contains("UNIQUE KEY `s_v` (`s`,`v`,`id`)");
  }
}
