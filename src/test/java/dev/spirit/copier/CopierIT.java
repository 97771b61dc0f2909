package dev.spirit.copier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Database;
import dev.spirit.db.ServerFlavor;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.ChunkSizer;
import dev.spirit.table.Chunker;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

class CopierIT {

  @ServerTest
  void copiesEveryRowIntoTheNewDefinition(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS items", "DROP TABLE IF EXISTS _items_new",
        "CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(30), price DECIMAL(10,2),"
            + " made DATETIME(6), flags BIT(5), doc JSON, total DECIMAL(12,2) AS (price * 2) VIRTUAL) CHARSET utf8mb4",
        "INSERT INTO items (name, price, made, flags, doc) SELECT CONCAT('n', seq, 'ü'), seq / 7,"
            + " '2024-01-02 03:04:05.123456', seq % 32, JSON_OBJECT('k', seq) FROM (" + numbers(2345) + ") n",
        "CREATE TABLE _items_new LIKE items",
        "ALTER TABLE _items_new ADD COLUMN note VARCHAR(10) NOT NULL DEFAULT 'x', MODIFY price DECIMAL(12,2)");
    copy(db, "items", "_items_new", Map.of(), 3);
    String columns = "id, name, price, made, flags + 0, doc, total";
    assertThat(db.queryRows("SELECT " + columns + " FROM _items_new ORDER BY id"))
        .isEqualTo(db.queryRows("SELECT " + columns + " FROM items ORDER BY id"))
        .hasSize(2345);
    assertThat(db.queryLong("SELECT COUNT(*) FROM _items_new WHERE note = 'x'")).isEqualTo(2345);
  }

  @ServerTest
  void followsColumnRenames(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS renamed", "DROP TABLE IF EXISTS _renamed_new",
        "CREATE TABLE renamed (id INT PRIMARY KEY, old_name VARCHAR(10))",
        "INSERT INTO renamed VALUES (1, 'a'), (2, 'b')",
        "CREATE TABLE _renamed_new LIKE renamed",
        "ALTER TABLE _renamed_new CHANGE old_name new_name VARCHAR(10)");
    copy(db, "renamed", "_renamed_new", Map.of("old_name", "new_name"), 1);
    assertThat(db.queryRows("SELECT id, new_name FROM _renamed_new ORDER BY id"))
        .containsExactly(java.util.List.of("1", "a"), java.util.List.of("2", "b"));
  }

  @ServerTest
  void truncationStopsTheCopyNamingTheColumn(TestDatabase db) throws Exception {
    assertLossy(db, "VARCHAR(20)", "'abcdefgh'", "MODIFY v VARCHAR(3)", "Data truncated for column 'v'");
  }

  @ServerTest
  void nullIntoNotNullStopsTheCopy(TestDatabase db) throws Exception {
    assertLossy(db, "INT NULL", "NULL", "MODIFY v INT NOT NULL", "'v'");
  }

  @ServerTest
  void outOfRangeStopsTheCopy(TestDatabase db) throws Exception {
    assertLossy(db, "INT", "100000", "MODIFY v SMALLINT", "Out of range value for column 'v'");
  }

  @ServerTest
  void duplicatesOnANewUniqueKeyAreReported(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS dupes", "DROP TABLE IF EXISTS _dupes_new",
        "CREATE TABLE dupes (id INT PRIMARY KEY, email VARCHAR(20))",
        "INSERT INTO dupes VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x')",
        "CREATE TABLE _dupes_new LIKE dupes",
        "ALTER TABLE _dupes_new ADD UNIQUE KEY uk_email (email)");
    Copier copier = copy(db, "dupes", "_dupes_new", Map.of(), 1);
    assertThat(copier.duplicateKeys()).containsExactly("uk_email");
    assertThat(db.queryLong("SELECT COUNT(*) FROM _dupes_new")).isEqualTo(2);
  }

  /**
   * The copy statement, held open in a transaction as a worker runs it, must leave the source rows free: another
   * session can lock them with NOWAIT. Under REPEATABLE READ the same statement locks them, which shows the probe
   * can tell the difference.
   */
  @ServerTest
  void copyingTakesNoRowLocksOnTheSource(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS locked", "DROP TABLE IF EXISTS _locked_new",
        "CREATE TABLE locked (id INT PRIMARY KEY, v INT)",
        "INSERT INTO locked SELECT seq, seq FROM (" + numbers(50) + ") n",
        "CREATE TABLE _locked_new LIKE locked");
    assertThat(sourceRowLockableDuringCopy(db, Connection.TRANSACTION_READ_COMMITTED)).isTrue();
    db.execute("TRUNCATE TABLE _locked_new");
    assertThat(sourceRowLockableDuringCopy(db, Connection.TRANSACTION_REPEATABLE_READ)).isFalse();
  }

  private static boolean sourceRowLockableDuringCopy(TestDatabase db, int isolation) throws Exception {
    TableInfo source;
    TableInfo target;
    BackgroundPriority priority;
    try (Connection c = db.connection()) {
      source = TableInfo.load(c, db.schema(), "locked");
      target = TableInfo.load(c, db.schema(), "_locked_new");
      priority = BackgroundPriority.detect(c, ServerFlavor.detect(c)); // the statement exactly as a run sends it
    }
    String sql = Copier.copySql(source, target, ColumnMapping.between(source, target, Map.of()), priority)
        + "id BETWEEN 1 AND 50";
    Database database = new Database(db.server().jdbcUrl(db.schema()), db.server().user(), db.server().password(),
        Duration.ofSeconds(5));
    try (Connection copy = database.connect(); Connection probe = database.connect()) {
      copy.setTransactionIsolation(isolation);
      copy.setAutoCommit(false);
      try (Statement s = copy.createStatement()) {
        assertThat(s.executeUpdate(sql)).isEqualTo(50);
      }
      try (Statement s = probe.createStatement()) {
        s.executeQuery("SELECT * FROM locked WHERE id = 25 FOR UPDATE NOWAIT").close();
        return true;
      } catch (SQLException e) {
        return false;
      } finally {
        copy.rollback();
      }
    }
  }

  private static void assertLossy(TestDatabase db, String type, String value, String alter, String expected)
      throws Exception {
    db.execute("DROP TABLE IF EXISTS lossy", "DROP TABLE IF EXISTS _lossy_new",
        "CREATE TABLE lossy (id INT PRIMARY KEY, v " + type + ")",
        "INSERT INTO lossy VALUES (1, " + value + ")",
        "CREATE TABLE _lossy_new LIKE lossy",
        "ALTER TABLE _lossy_new " + alter);
    assertThatThrownBy(() -> copy(db, "lossy", "_lossy_new", Map.of(), 2))
        .isInstanceOfSatisfying(SpiritException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS_PREVENTED);
          assertThat(e.getMessage()).contains(expected).contains("`lossy`").contains("unchanged");
        });
  }

  private static Copier copy(TestDatabase db, String table, String newTable, Map<String, String> renames,
      int threads) throws Exception {
    Database database = new Database(db.server().jdbcUrl(db.schema()), db.server().user(), db.server().password(),
        Duration.ofSeconds(5));
    try (HikariDataSource pool = database.pool("copy-test", threads + 1); Connection c = pool.getConnection()) {
      TableInfo source = TableInfo.load(c, db.schema(), table);
      TableInfo target = TableInfo.load(c, db.schema(), newTable);
      Chunker chunker = new Chunker(pool, source, new ChunkSizer(1000, 1, Duration.ofSeconds(2)));
      Copier copier = new Copier(pool, chunker, target, ColumnMapping.between(source, target, renames), threads,
          BackgroundPriority.normal("test"));
      copier.run(() -> false);
      assertThat(chunker.isComplete()).isTrue();
      return copier;
    }
  }

  static String numbers(int n) {
    return dev.spirit.table.ChunkerIT.numbers(n);
  }
}
