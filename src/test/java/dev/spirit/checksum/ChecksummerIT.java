package dev.spirit.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.db.BackgroundPriority;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.Pipeline;
import dev.spirit.testing.RandomWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class ChecksummerIT {

  @ServerTest
  void faithfulConversionsChecksumClean(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS conv", "DROP TABLE IF EXISTS _conv_new",
        "CREATE TABLE conv (id INT PRIMARY KEY, i INT, d DATETIME(6), f FLOAT, s VARCHAR(20) CHARACTER SET latin1,"
            + " e ENUM('a','b'), j JSON, b BIT(4), n DECIMAL(6,2), z VARCHAR(5) NULL)",
        "INSERT INTO conv SELECT seq, seq * 1000, '2020-01-01 00:00:00.123456', seq / 3, CONCAT('caf', CHAR(233)),"
            + " IF(seq % 2, 'a', 'b'), JSON_ARRAY(seq, 'x'), seq % 16, seq / 7, IF(seq % 3 = 0, NULL, '')"
            + " FROM (" + ChunkerIT.numbers(3000) + ") n",
        "CREATE TABLE _conv_new LIKE conv",
        "ALTER TABLE _conv_new MODIFY i BIGINT, MODIFY d DATETIME(3), MODIFY f DOUBLE,"
            + " MODIFY s VARCHAR(30) CHARACTER SET utf8mb4, MODIFY e ENUM('a','b','c'), MODIFY b BIT(8),"
            + " MODIFY n DECIMAL(10,3)");
    try (Pipeline p = new Pipeline(db, "conv", "_conv_new", Duration.ofSeconds(5))) {
      p.copy();
      ChecksumResult result = checksummer(p).run(() -> false);
      assertThat(result.rowsChecked()).isEqualTo(3000);
      assertThat(result.chunksRepaired()).isZero();
      assertThat(result.passes()).isEqualTo(1);
    }
  }

  @ServerTest
  void repairsRangesThatDifferUnderConcurrentWrites(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS fix", "DROP TABLE IF EXISTS _fix_new",
        "CREATE TABLE fix (id INT AUTO_INCREMENT PRIMARY KEY, v INT, s VARCHAR(20))",
        "INSERT INTO fix (v, s) SELECT seq, 'x' FROM (" + ChunkerIT.numbers(4000) + ") n",
        "CREATE TABLE _fix_new LIKE fix");
    try (Pipeline p = new Pipeline(db, "fix", "_fix_new", Duration.ofSeconds(5))) {
      p.copy();
      // Damage the copy behind the tool's back: a changed row, a lost row, an extra row.
      db.execute("UPDATE _fix_new SET v = -1 WHERE id = 10", "DELETE FROM _fix_new WHERE id = 2000",
          "INSERT INTO _fix_new (id, v, s) VALUES (999999, 1, 'ghost')");
      ChecksumResult result;
      try (RandomWriters writers = new RandomWriters(db, 2, 7, 2000, r -> switch (r.nextInt(3)) {
        case 0 -> "UPDATE fix SET v = v + 1 WHERE id = " + (1 + r.nextInt(4000));
        case 1 -> "DELETE FROM fix WHERE id = " + (1 + r.nextInt(4000));
        default -> "INSERT INTO fix (v, s) VALUES (1, 'new')";
      }).start()) {
        result = checksummer(p).run(() -> false);
        writers.close();
        assertThat(writers.errors()).isEmpty();
      }
      assertThat(result.chunksRepaired()).isGreaterThanOrEqualTo(2);
      assertThat(result.passes()).isGreaterThanOrEqualTo(2);
      p.drain.catchUp();
      p.drainUnderLock();
    }
    RowDiff.assertSameRows(db.queryRows("SELECT id, v, s FROM _fix_new ORDER BY id"),
        db.queryRows("SELECT id, v, s FROM fix ORDER BY id"));
  }

  @ServerTest
  void duplicatesForANewUniqueKeyFailNamingTheKey(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS uniq", "DROP TABLE IF EXISTS _uniq_new",
        "CREATE TABLE uniq (id INT PRIMARY KEY, email VARCHAR(20))",
        "INSERT INTO uniq VALUES (1, 'a'), (2, 'b'), (3, 'a')",
        "CREATE TABLE _uniq_new LIKE uniq", "ALTER TABLE _uniq_new ADD UNIQUE KEY uk_email (email)");
    try (Pipeline p = new Pipeline(db, "uniq", "_uniq_new", Duration.ofSeconds(5))) {
      p.copy();
      assertThatThrownBy(() -> checksummer(p).run(() -> false))
          .isInstanceOfSatisfying(SpiritException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_FAILED);
            assertThat(e.getMessage()).contains("uk_email").contains("`uniq`").contains("unchanged");
          });
    }
  }

  @ServerTest
  void theApplicationKeepsReadingWhileTheChecksumWaitsForItsLock(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS rd", "DROP TABLE IF EXISTS _rd_new",
        "CREATE TABLE rd (id INT PRIMARY KEY, v INT)",
        "INSERT INTO rd SELECT seq, seq FROM (" + ChunkerIT.numbers(500) + ") n",
        "CREATE TABLE _rd_new LIKE rd");
    try (Pipeline p = new Pipeline(db, "rd", "_rd_new", Duration.ofSeconds(5));
        Connection writer = db.connection(); Connection reader = db.connection()) {
      p.copy();
      // An open write transaction makes the checksum's LOCK TABLES wait. A queued exclusive (WRITE) request would
      // stop every new reader too; the checksum's READ lock on the source must not.
      writer.setAutoCommit(false);
      try (Statement w = writer.createStatement()) {
        w.executeUpdate("UPDATE rd SET v = v + 1 WHERE id = 1");
      }
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<ChecksumResult> checksum = pool.submit(() -> checksummer(p).run(() -> false));
        awaitQueuedLock(db, "rd");
        try (Statement r = reader.createStatement()) {
          r.execute("SET SESSION lock_wait_timeout = 2");
          try (ResultSet rs = r.executeQuery("SELECT COUNT(*) FROM rd")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(500);
          }
        }
        writer.commit();
        ChecksumResult result = checksum.get(30, TimeUnit.SECONDS);
        assertThat(result.passes()).isEqualTo(1);
        assertThat(result.rowsChecked()).isEqualTo(500);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Waits until some session's table lock request on {@code table} is queued. */
  private static void awaitQueuedLock(TestDatabase db, String table) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      List<List<String>> waiting = db.queryRows("SELECT id FROM information_schema.processlist WHERE db = '"
          + db.schema() + "' AND state LIKE 'Waiting for table metadata lock' AND info LIKE 'LOCK TABLES %" + table + "%'");
      if (!waiting.isEmpty()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the checksum never queued its lock on " + table);
  }

  private static Checksummer checksummer(Pipeline p) {
    return new Checksummer(p.database, p.pool, p.source, p.target, p.mapping, p.drain, 2, 500,
        BackgroundPriority.normal("test"));
  }
}
