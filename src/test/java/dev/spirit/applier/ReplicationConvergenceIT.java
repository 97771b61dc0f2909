package dev.spirit.applier;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.binlog.ChangeBuffer;
import dev.spirit.binlog.KeyCodec;
import dev.spirit.copier.Copier;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.BinlogPosition;
import dev.spirit.db.Database;
import dev.spirit.db.ServerFlavor;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.Chunker;
import dev.spirit.table.ChunkerIT;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import dev.spirit.testing.RandomWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Copy plus binlog-driven refreshes converge on the source's content while writers insert, update (primary keys
 * too) and delete: compared with an independent query of the source, not with the tool's checksum.
 */
class ReplicationConvergenceIT {

  @ServerTest
  void integerKey(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS ints", "DROP TABLE IF EXISTS _ints_new",
        "CREATE TABLE ints (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, v INT, s VARCHAR(40))",
        "INSERT INTO ints (v, s) SELECT seq, CONCAT('row', seq) FROM (" + ChunkerIT.numbers(6000) + ") n",
        "CREATE TABLE _ints_new LIKE ints", "ALTER TABLE _ints_new ADD COLUMN extra INT DEFAULT 7");
    converge(db, "ints", r -> switch (r.nextInt(5)) {
      case 0 -> "INSERT INTO ints (v, s) VALUES (" + r.nextInt(1000) + ", 'new')";
      case 1 -> "UPDATE ints SET v = v + 1, s = 'upd' WHERE id = " + (1 + r.nextInt(7000));
      case 2 -> "UPDATE ints SET id = id + 100000 WHERE id = " + (1 + r.nextInt(6000));
      case 3 -> "DELETE FROM ints WHERE id = " + (1 + r.nextInt(7000));
      default -> "UPDATE ints SET v = NULL WHERE id BETWEEN " + r.nextInt(6000) + " AND " + (r.nextInt(6000) + 5);
    }, "id, v, s");
  }

  @ServerTest
  void compositeKey(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS pairs", "DROP TABLE IF EXISTS _pairs_new",
        "CREATE TABLE pairs (v INT, a INT NOT NULL, b BIGINT NOT NULL, PRIMARY KEY (a, b))",
        "INSERT INTO pairs SELECT seq, seq % 10, seq FROM (" + ChunkerIT.numbers(5000) + ") n",
        "CREATE TABLE _pairs_new LIKE pairs", "ALTER TABLE _pairs_new MODIFY v BIGINT");
    converge(db, "pairs", r -> switch (r.nextInt(4)) {
      case 0 -> "INSERT INTO pairs VALUES (1, " + r.nextInt(10) + ", " + (5000 + r.nextInt(5000)) + ")";
      case 1 -> "UPDATE pairs SET v = v * 2 WHERE a = " + r.nextInt(10) + " AND b = " + r.nextInt(5000);
      case 2 -> "UPDATE pairs SET a = a + 10 WHERE b = " + r.nextInt(5000);
      default -> "DELETE FROM pairs WHERE b = " + r.nextInt(10000);
    }, "a, b, v");
  }

  @ServerTest
  void caseInsensitiveVarcharKey(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS names", "DROP TABLE IF EXISTS _names_new",
        "CREATE TABLE names (name VARCHAR(30) COLLATE utf8mb4_general_ci PRIMARY KEY, v INT) CHARSET utf8mb4",
        "INSERT INTO names SELECT CONCAT('n', seq, 'é'), seq FROM (" + ChunkerIT.numbers(4000) + ") n",
        "CREATE TABLE _names_new LIKE names", "ALTER TABLE _names_new ADD INDEX (v)");
    converge(db, "names", r -> switch (r.nextInt(4)) {
      case 0 -> "INSERT INTO names VALUES ('N" + r.nextInt(5000) + "É', 1)";
      case 1 -> "UPDATE names SET name = UPPER(name) WHERE name = 'n" + r.nextInt(4000) + "é'";
      case 2 -> "UPDATE names SET v = v + 1 WHERE name = 'n" + r.nextInt(4000) + "é'";
      default -> "DELETE FROM names WHERE name = 'n" + r.nextInt(5000) + "É'";
    }, "CAST(name AS BINARY), v");
  }

  private static void converge(TestDatabase db, String table, Function<Random, String> dml, String columns)
      throws Exception {
    String newTable = "_" + table + "_new";
    Database database = new Database(db.server().jdbcUrl(db.schema()), db.server().user(), db.server().password(),
        Duration.ofSeconds(10));
    try (HikariDataSource pool = database.pool("converge", 8)) {
      TableInfo source;
      TableInfo target;
      BinlogPosition start;
      ServerFlavor flavor;
      try (Connection c = pool.getConnection()) {
        flavor = ServerFlavor.detect(c);
        source = TableInfo.load(c, db.schema(), table);
        target = TableInfo.load(c, db.schema(), newTable);
        start = ServerFlavor.detect(c).currentPosition(c);
      }
      ColumnMapping mapping = ColumnMapping.between(source, target, Map.of());
      ChangeBuffer buffer = new ChangeBuffer();
      KeyCodec codec = new KeyCodec(source);
      Applier applier = new Applier(pool, flavor, source, target, mapping, codec, buffer, 3);
      try (BinlogSubscription binlog = new BinlogSubscription(db.server()::binlogClient, source,
              dev.spirit.table.NameCase.SENSITIVE, start, buffer, List.of(table, newTable), 4243);
          RandomWriters writers = new RandomWriters(db, 4, 42, 100_000, dml)) {
        binlog.start(Duration.ofSeconds(15));
        writers.start();
        Chunker chunker = new Chunker(pool, source, new ChunkSizer(300, 1, Duration.ofSeconds(2)));
        Copier copier = new Copier(pool, chunker, target, mapping, 2, BackgroundPriority.normal("test"));
        Thread copy = new Thread(() -> copier.run(() -> false));
        copy.start();
        while (copy.isAlive()) {
          // every key at once, copied or not: a refreshed row is one the copy's INSERT IGNORE then keeps
          applier.flush(Applier.Selection.all());
          binlog.checkHealthy();
          Thread.sleep(20);
        }
        // Keep the load going past the copy, so changes also arrive after everything is copied.
        long until = System.nanoTime() + 5_000_000_000L;
        while (writers.succeeded() < 500 && System.nanoTime() < until) {
          applier.flush(Applier.Selection.all());
          Thread.sleep(20);
        }
        writers.close();
        assertThat(writers.errors()).isEmpty();
        assertThat(writers.succeeded()).isGreaterThan(100);
        try (Connection c = pool.getConnection()) {
          binlog.awaitPosition(ServerFlavor.detect(c).currentPosition(c), Duration.ofSeconds(30));
        }
        // Collation-equal keys (n1é / N1É) in parallel batches can refuse each other once; they are retried.
        for (int i = 0; i < 20 && (i == 0 || buffer.size() > 0); i++) {
          applier.flush(Applier.Selection.all());
        }
        assertThat(buffer.size()).as("busy=%d dup=%s", applier.busy(), applier.lastDuplicateForTests()).isZero();
        assertThat(applier.applied()).isGreaterThan(0);
      } finally {
        applier.close();
      }
    }
    RowDiff.assertSameRows(db.queryRows("SELECT " + columns + " FROM " + newTable + " ORDER BY 1, 2"),
        db.queryRows("SELECT " + columns + " FROM " + table + " ORDER BY 1, 2"));
  }
}
