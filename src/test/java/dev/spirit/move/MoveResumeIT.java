package dev.spirit.move;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.migration.SpiritProcess;
import dev.spirit.testing.MoveWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import dev.spirit.testing.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A move killed with SIGKILL mid-copy (no cleanup at all) and run again with the same command: it resumes from the
 * checkpoint on the target, and the result equals the writers' independent copy.
 */
@Isolated // acts on the whole server (docs/testing.md)
class MoveResumeIT {
  private static final int ROWS = 20_000;

  private static List<String> args(TestDatabase source, TestDatabase target) {
    return List.of("move", "--source-dsn", MoveIT.dsn(source), "--target-dsn", MoveIT.dsn(target), "--threads", "1",
        "--write-threads", "1", "--target-chunk-size", "1KB", "--lock-wait-timeout", "10s");
  }

  private static boolean midCopyCheckpoint(TestDatabase target) {
    try {
      return target.queryLong("SELECT COUNT(*) FROM " + MoveState.CHECKPOINT + " WHERE copy_completed = 0"
          + " AND copier_watermark IS NOT NULL AND original_table_name = 'orders'") == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Holds the copy of {@code orders} at its last key {@code lastKey}: an uncommitted row there on the target, which
   * the copy's insert waits for. Rolling the returned transaction back lets the copy go on.
   */
  private static Connection stallCopyAt(SpiritProcess run, TestDatabase target, int lastKey) throws Exception {
    run.await("the checkpoint table", () -> MoveIT.tableExists(target, MoveState.CHECKPOINT));
    Connection stall = target.connection();
    stall.setAutoCommit(false);
    try (Statement s = stall.createStatement()) {
      s.execute("INSERT INTO orders (id, v) VALUES (" + lastKey + ", -1)");
    }
    return stall;
  }

  @ServerTest
  void aMoveKilledMidCopyResumesAndEndsEqualToTheWritersCopy(TestDatabase source) throws Exception {
    TestDatabase target = TestServers.moveTargetDatabase(source.server(), MoveResumeIT.class);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", ROWS);
    MoveIT.numbered(source, "items", ROWS);
    String runs;
    try (MoveWriters writers = new MoveWriters(source, List.of("orders", "items"), 2, ROWS, 99).start()) {
      SpiritProcess first = SpiritProcess.start(args(source, target));
      // Stall the copy at the last key of orders: an uncommitted row there, which the copy's insert waits for.
      first.await("the checkpoint table", () -> MoveIT.tableExists(target, MoveState.CHECKPOINT));
      Connection stall = target.connection();
      stall.setAutoCommit(false);
      try (Statement s = stall.createStatement()) {
        s.execute("INSERT INTO orders (id, v) VALUES (" + ROWS + ", -1)");
      }
      first.await("a checkpoint written mid-copy", () -> midCopyCheckpoint(target));
      first.kill();
      stall.rollback();
      stall.close();
      long before = writers.writes();
      while (writers.writes() < before + 200) {
        Thread.sleep(10); // the application goes on while spirit is down
      }

      SpiritProcess second = SpiritProcess.start(args(source, target));
      int exit = second.exitCode();
      Thread.sleep(200);
      writers.close();
      runs = "first run:\n" + first.output() + "\nsecond run:\n" + second.output();
      assertThat(exit).as(runs).isZero();
      assertThat(second.output()).contains("resuming `" + source.schema() + "`.`orders`")
          .contains("copy continues from key");
      assertThat(writers.errors()).as("application errors other than the retired tables; %s", runs).isEmpty();
      for (String table : List.of("orders", "items")) {
        RowDiff.assertSameRows(target.queryRows("SELECT id, v FROM " + table + " ORDER BY id"),
            writers.expectedRows(table));
      }
    }
    assertThat(MoveIT.tables(source)).containsExactly("items_old", "orders_old");
    assertThat(MoveIT.tables(target)).containsExactly("items", "orders");
  }

  /** Ctrl-C mid-copy: exit 130, the move's target tables and checkpoint dropped, the source as it was. */
  @ServerTest
  void anInterruptedMoveRemovesWhatItCreated(TestDatabase source) throws Exception {
    TestDatabase target = TestServers.moveTargetDatabase(source.server(), MoveResumeIT.class);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 5000);
    SpiritProcess run = SpiritProcess.start(args(source, target));
    Connection stall = stallCopyAt(run, target, 5000);
    try {
      run.signal("INT");
      Thread.sleep(500); // the stop is asked for while the copy is held; then the held insert may go on
    } finally {
      stall.rollback();
      stall.close();
    }
    assertThat(run.exitCode()).as(run.output()).isEqualTo(130);
    assertThat(MoveIT.tables(target)).as(run.output()).isEmpty();
    assertThat(MoveIT.tables(source)).containsExactly("orders");
    assertThat(source.queryLong("SELECT COUNT(*) FROM orders")).isEqualTo(5000);
  }

  /**
   * The source purged its binlog past the checkpoint while the move was down: the changes since cannot be replayed, so
   * the rerun is refused before anything changes (the target kept as it is), and {@code --force} copies again.
   */
  @ServerTest
  void aCheckpointWhoseSourceBinlogWasPurgedIsRefusedUntilForced(TestDatabase source) throws Exception {
    TestDatabase target = TestServers.moveTargetDatabase(source.server(), MoveResumeIT.class);
    MoveIT.reset(source, target);
    MoveIT.numbered(source, "orders", 5000);
    SpiritProcess first = SpiritProcess.start(args(source, target));
    Connection stall = stallCopyAt(first, target, 5000);
    first.await("a checkpoint written mid-copy", () -> midCopyCheckpoint(target));
    first.kill();
    stall.rollback();
    stall.close();
    String checkpointed = target.queryString("SELECT binlog_position FROM " + MoveState.CHECKPOINT
        + " WHERE original_table_name = 'orders'").split(":")[0];
    source.execute("UPDATE orders SET v = v + 1 WHERE id <= 10", "FLUSH BINARY LOGS");
    String current = source.queryRows("SHOW BINARY LOGS").stream().map(r -> r.get(0)).reduce((a, b) -> b)
        .orElseThrow();
    // A binlog file a dump thread still reads (the killed run's, until the server notices) is not purged yet.
    for (int i = 0; i < 50 && source.queryRows("SHOW BINARY LOGS").stream()
        .anyMatch(r -> r.get(0).equals(checkpointed)); i++) {
      source.execute("PURGE BINARY LOGS TO '" + current + "'");
      Thread.sleep(200);
    }
    long copied = target.queryLong("SELECT COUNT(*) FROM orders");

    SpiritProcess refused = SpiritProcess.start(args(source, target));
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
    assertThat(refused.output()).contains("cannot replay its changes since the checkpoint")
        .contains(source.server().isMariaDb() ? "is no longer on the server" : "@@gtid_purged")
        .contains("Nothing was changed").contains("--force");
    assertThat(MoveIT.tables(target)).containsExactlyInAnyOrder(MoveState.CHECKPOINT, "orders");
    assertThat(target.queryLong("SELECT COUNT(*) FROM orders")).as("the target as it was").isEqualTo(copied);
    assertThat(MoveIT.tables(source)).containsExactly("orders");

    List<String> forced = new java.util.ArrayList<>(args(source, target));
    forced.add("--force");
    SpiritProcess again = SpiritProcess.start(forced);
    assertThat(again.exitCode()).as(again.output()).isZero();
    RowDiff.assertSameRows(target.queryRows("SELECT id, v FROM orders ORDER BY id"),
        source.queryRows("SELECT id, v FROM orders_old ORDER BY id"));
  }
}
