package dev.spirit.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The chunker's ranges cover every row exactly once, whatever the key, and the watermark follows completion. */
public class ChunkerIT {

  @ServerTest
  void sparseIntegerKey(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS sparse",
        "CREATE TABLE sparse (id BIGINT UNSIGNED PRIMARY KEY, v INT)",
        "INSERT INTO sparse SELECT seq * seq * 7, seq FROM (" + numbers(1500) + ") n");
    assertCoversEveryRowOnce(db, "sparse", 1500);
  }

  @ServerTest
  void compositeKeyNotFirstColumn(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS composite",
        "CREATE TABLE composite (v INT, a INT NOT NULL, b VARCHAR(10) NOT NULL, PRIMARY KEY (a, b))",
        "INSERT INTO composite SELECT seq, seq % 7, CONCAT('k', seq) FROM (" + numbers(1234) + ") n");
    assertCoversEveryRowOnce(db, "composite", 1234);
  }

  @ServerTest
  void caseInsensitiveVarcharKey(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS words",
        "CREATE TABLE words (w VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci PRIMARY KEY, v INT)",
        "INSERT INTO words SELECT CONCAT(IF(seq % 2 = 0, 'A', 'b'), seq, 'é'), seq FROM (" + numbers(999) + ") n");
    assertCoversEveryRowOnce(db, "words", 999);
  }

  @ServerTest
  void emptyTableIsOneOpenChunk(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS empty_t", "CREATE TABLE empty_t (id INT PRIMARY KEY)");
    TableInfo info;
    try (Connection c = db.connection()) {
      info = TableInfo.load(c, db.schema(), "empty_t");
    }
    Chunker chunker = new Chunker(db.dataSource(), info, new ChunkSizer(100, 1, Duration.ofSeconds(1)));
    Chunk only = chunker.next();
    assertThat(only.isFirst()).isTrue();
    assertThat(only.isLast()).isTrue();
    assertThat(chunker.next()).isNull();
    chunker.completed(only, 0, Duration.ZERO);
    assertThat(chunker.isComplete()).isTrue();
  }

  @ServerTest
  void watermarkAdvancesOnlyOverACompletedPrefix(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS wm", "CREATE TABLE wm (id INT PRIMARY KEY)",
        "INSERT INTO wm SELECT seq FROM (" + numbers(350) + ") n");
    TableInfo info;
    try (Connection c = db.connection()) {
      info = TableInfo.load(c, db.schema(), "wm");
    }
    Chunker chunker = new Chunker(db.dataSource(), info, new ChunkSizer(100, 1, Duration.ofSeconds(1)));
    assertThat(chunker.isBeyondHighWatermarkIntegerKey(List.of(1))).as("nothing handed out yet").isTrue();
    Chunk first = chunker.next();
    Chunk second = chunker.next();
    assertThat(first.upper()).containsExactly(101);
    assertThat(chunker.isBeyondHighWatermarkIntegerKey(List.of(200))).isFalse();
    assertThat(chunker.isBeyondHighWatermarkIntegerKey(List.of(201))).isTrue();
    chunker.completed(second, 100, Duration.ofMillis(1));
    assertThat(chunker.isCopiedIntegerKey(List.of(5))).isFalse();
    chunker.completed(first, 100, Duration.ofMillis(1));
    assertThat(chunker.isCopiedIntegerKey(List.of(5))).isTrue();
    assertThat(chunker.isCopiedIntegerKey(List.of(200))).isTrue();
    assertThat(chunker.isCopiedIntegerKey(List.of(201))).isFalse();
    assertThat(chunker.isComplete()).isFalse();
    chunker.next();
    chunker.next();
    assertThat(chunker.isBeyondHighWatermarkIntegerKey(List.of(1_000_000))).as("the open last chunk covers it")
        .isFalse();
  }

  private static void assertCoversEveryRowOnce(TestDatabase db, String table, long expectedRows) throws Exception {
    TableInfo info;
    try (Connection c = db.connection()) {
      info = TableInfo.load(c, db.schema(), table);
    }
    assertThat(info.primaryKey()).isNotEmpty();
    Chunker chunker = new Chunker(db.dataSource(), info, new ChunkSizer(100, 1, Duration.ofSeconds(1)));
    long total = 0;
    List<Chunk> chunks = new ArrayList<>();
    for (Chunk chunk = chunker.next(); chunk != null; chunk = chunker.next()) {
      chunks.add(chunk);
      try (Connection c = db.connection();
          PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + info.quotedName() + " WHERE "
              + chunk.condition(chunker.key()))) {
        chunk.bind(ps, 1);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long rows = rs.getLong(1);
          if (!chunk.isLast()) {
            assertThat(rows).as(chunk.toString()).isEqualTo(100);
          }
          total += rows;
        }
      }
    }
    assertThat(total).isEqualTo(expectedRows);
    assertThat(chunks).hasSize((int) Math.max(1, (expectedRows + 99) / 100));
    assertThat(chunks.get(0).isFirst()).isTrue();
    assertThat(chunks.get(chunks.size() - 1).isLast()).isTrue();
  }

  /** A derived table of 1..n, for filling test tables without stored procedures. */
  public static String numbers(int n) {
    return "SELECT a.d + b.d * 10 + c.d * 100 + e.d * 1000 + 1 AS seq FROM " + digits("a") + " CROSS JOIN "
        + digits("b") + " CROSS JOIN " + digits("c") + " CROSS JOIN " + digits("e")
        + " HAVING seq <= " + n;
  }

  private static String digits(String alias) {
    return "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL"
        + " SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) " + alias;
  }
}
