package dev.spirit.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.db.BinlogPosition;
import dev.spirit.table.TableInfo;
import dev.spirit.testing.Pipeline;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * The position a checkpoint records: held back by every pending or in-flight key, a place a new subscription can
 * start from, and one from which that subscription sees again every change not yet applied.
 */
class CheckpointPositionIT {

  private static BinlogPosition head(Pipeline p) throws Exception {
    try (Connection c = p.pool.getConnection()) {
      BinlogPosition h = p.flavor.currentPosition(c);
      return new BinlogPosition(h.file(), h.position(), null);
    }
  }

  private static int compare(BinlogPosition a, BinlogPosition b) {
    return BinlogCoordinates.compare(a.file(), a.position(), b.file(), b.position());
  }

  /** Keys a fresh subscription from {@code start} records up to the server's current position. */
  private static List<RowKey> replay(TestDatabase db, Pipeline p, BinlogPosition start) throws Exception {
    ChangeBuffer buffer = new ChangeBuffer();
    try (Connection c = p.pool.getConnection()) {
      TableInfo source = TableInfo.load(c, db.schema(), p.source.name());
      BinlogSubscription replay = new BinlogSubscription(db.server()::binlogClient, source,
          dev.spirit.table.NameCase.SENSITIVE, start, buffer, List.of(p.source.name(), p.target.name()), 4244);
      try {
        replay.start(Duration.ofSeconds(15));
        replay.awaitPosition(head(p), Duration.ofSeconds(30));
      } finally {
        replay.close();
      }
    }
    return buffer.drain(Integer.MAX_VALUE);
  }

  @ServerTest
  void pendingAndInFlightKeysHoldThePositionBackAndAReplayFromItSeesThemAgain(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS cp", "DROP TABLE IF EXISTS _cp_new",
        "CREATE TABLE cp (id BIGINT UNSIGNED PRIMARY KEY, v INT)", "CREATE TABLE _cp_new LIKE cp",
        "INSERT INTO cp VALUES (1, 1), (2, 2)", "INSERT INTO _cp_new SELECT * FROM cp");
    try (Pipeline p = new Pipeline(db, "cp", "_cp_new", Duration.ofSeconds(5))) {
      db.execute("INSERT INTO cp VALUES (18446744073709551615, 3)");
      BinlogPosition afterFirst = head(p);
      p.binlog.awaitPosition(afterFirst, Duration.ofSeconds(30));
      db.execute("UPDATE cp SET v = 20 WHERE id = 2", "UPDATE cp SET v = 10 WHERE id = 1");
      p.binlog.awaitPosition(head(p), Duration.ofSeconds(30));

      BinlogPosition pending = p.binlog.checkpointPosition();
      assertThat(compare(pending, afterFirst)).as("held back before the first pending change").isLessThan(0);
      assertThat(replay(db, p, pending)).as("a replay from it sees every pending key")
          .containsExactlyInAnyOrder(key(new java.math.BigInteger("18446744073709551615")), key(2L), key(1L));

      // Drained but not committed (in flight): still held back.
      List<RowKey> inFlight = p.buffer.drain(1); // the oldest arrival
      assertThat(inFlight).containsExactly(key(new java.math.BigInteger("18446744073709551615")));
      p.buffer.committed(p.buffer.drain(Integer.MAX_VALUE));
      assertThat(p.binlog.checkpointPosition()).isEqualTo(pending);
      p.buffer.restore(inFlight);
      assertThat(p.binlog.checkpointPosition()).isEqualTo(pending);

      // Applied: the position moves past the first transaction, to a boundary a replay starts from cleanly.
      p.drain.catchUp();
      assertThat(p.buffer.size() + p.buffer.inFlight()).isZero();
      BinlogPosition applied = p.binlog.checkpointPosition();
      assertThat(compare(applied, afterFirst)).as("moved on once everything is applied").isGreaterThanOrEqualTo(0);
      assertThat(replay(db, p, applied)).as("nothing to see again").isEmpty();

      // One more change after the checkpoint: a replay from the recorded position sees exactly it.
      db.execute("DELETE FROM cp WHERE id = 2");
      assertThat(replay(db, p, applied)).containsExactly(key(2L));
    }
  }

  private static RowKey key(Object value) {
    return new RowKey(List.of(value));
  }
}
