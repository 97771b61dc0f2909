package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * {@code spirit migrate} end to end on primary keys of different shapes, under mirrored writers that insert, update
 * other columns, move rows by changing their primary key (from ranges already copied to ranges not yet copied and
 * back) and delete, from before the copy until after the cutover. Chunks are small (100 rows), so the writes overlap
 * many chunks of the copy. The expectation is the writers' mirror table, never the tool's checksum.
 */
class MigrateKeysIT {
  private static final List<String> SESSION = List.of();
  private static final String ALTER = " ADD COLUMN extra INT NOT NULL DEFAULT 7, ADD INDEX (v)";

  /** Creates {@code table} and its mirror from one definition and fills both with the same statements. */
  private static void create(TestDatabase db, String table, String definition, String... fill) throws Exception {
    db.execute("DROP TABLE IF EXISTS `" + table + "`", "DROP TABLE IF EXISTS `" + table + "_mirror`",
        "CREATE TABLE `" + table + "` " + definition, "CREATE TABLE `" + table + "_mirror` LIKE `" + table + "`");
    MirroredWriters.executeOnBoth(db, table, table + "_mirror", SESSION, fill);
  }

  private static MigrateIT.Run migrate(TestDatabase db, String table, Function<Random, String> dml) throws Exception {
    MigrateIT.Run run = MigrateTypesIT.migrateUnderWrites(db, table, table + "_mirror", SESSION, dml,
        "ALTER TABLE `" + table + "`" + ALTER);
    MirroredWriters.assertSameContent(db, table, table + "_mirror");
    assertThat(db.queryLong("SELECT COUNT(*) FROM `" + table + "` WHERE extra <> 7")).isZero();
    assertThat(run.err()).contains("by shadow table copy");
    return run;
  }

  @ServerTest
  void autoIncrementInteger(TestDatabase db) throws Exception {
    int rows = 10_000;
    create(db, "autoinc", "(id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL,"
        + " s VARCHAR(30) CHARACTER SET utf8mb4 NOT NULL)",
        "INSERT INTO {t} (id, v, s) SELECT seq, seq, CONCAT('r', seq) FROM (" + ChunkerIT.numbers(rows) + ") n");
    Function<Random, String> dml = r -> {
      int id = 1 + r.nextInt(rows);
      return switch (r.nextInt(10)) {
        case 0, 1 -> "INSERT INTO {t} (id, v, s) VALUES (" + MirroredWriters.AUTO + ", " + r.nextInt(1000)
            + ", 'new')";
        case 2, 3 -> "UPDATE {t} SET v = v + 1, s = 'upd' WHERE id = " + id;
        case 4, 5 -> "UPDATE {t} SET id = " + (1 + r.nextInt(rows)) + " WHERE id = " + id;
        case 6 -> "DELETE FROM {t} WHERE id = " + id;
        // recently inserted rows: AUTO_INCREMENT values above the initial rows
        case 7, 8 -> "DELETE FROM {t} WHERE id = " + (rows + 1 + r.nextInt(3000));
        default -> "UPDATE {t} SET v = v - 1 WHERE id = " + (rows + 1 + r.nextInt(3000));
      };
    };
    migrate(db, "autoinc", dml);
  }

  /**
   * An AUTO_INCREMENT value the application was given is never given again. A queue-like table, where every row is
   * inserted and deleted again at once, is migrated; each id handed out while the migration runs belongs to a row the
   * copy and the change applier never see. After the cutover the next id must still be above all of them, as it
   * would be on the original table.
   */
  @ServerTest
  void autoIncrementNeverReissuesAnId(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS queue", "CREATE TABLE queue (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
        + " v INT NOT NULL)", "INSERT INTO queue (id, v) SELECT seq, seq FROM (" + ChunkerIT.numbers(5000) + ") n");
    List<Long> issued = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Void> queue = CompletableFuture.runAsync(() -> {
      try (Connection c = MirroredWriters.session(db, SESSION);
          Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        while (!stop.get()) {
          s.executeUpdate("INSERT INTO queue (v) VALUES (1)", Statement.RETURN_GENERATED_KEYS);
          long id;
          try (ResultSet rs = s.getGeneratedKeys()) {
            rs.next();
            id = rs.getLong(1);
          }
          s.executeUpdate("DELETE FROM queue WHERE id = " + id);
          c.commit();
          issued.add(id);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    while (issued.size() < 20 && !queue.isDone()) {
      Thread.sleep(10);
    }
    MigrateIT.Run run = MigrateIT.spirit(db, "--statement", "ALTER TABLE queue" + ALTER, "--target-chunk-size", "1");
    stop.set(true);
    queue.get();
    System.out.println("[" + db.server().id() + "] queue\n" + run.err());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("by shadow table copy");
    List<Long> all = List.copyOf(issued);
    Set<Long> seen = new HashSet<>();
    assertThat(all.stream().filter(id -> !seen.add(id)).toList())
        .as("ids handed out twice (the second time by the migrated table), of %d handed out", all.size()).isEmpty();
    long last = all.stream().mapToLong(Long::longValue).max().orElseThrow();
    db.execute("INSERT INTO queue (v) VALUES (2)");
    assertThat(db.queryLong("SELECT MAX(id) FROM queue"))
        .as("the id after the migration; %d was already handed out (and deleted) before", last)
        .isGreaterThan(last);
  }

  @ServerTest
  void bigintUnsignedAboveTwoToThe63(TestDatabase db) throws Exception {
    BigInteger high = BigInteger.ONE.shiftLeft(63);
    BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    create(db, "bigu", "(id BIGINT UNSIGNED NOT NULL PRIMARY KEY, v INT NOT NULL, pad VARCHAR(20))",
        "INSERT INTO {t} SELECT seq * 1000, seq, 'low' FROM (" + ChunkerIT.numbers(5000) + ") n",
        "INSERT INTO {t} SELECT " + high + " + seq * 1000, seq, 'high' FROM (" + ChunkerIT.numbers(5000) + ") n",
        "INSERT INTO {t} SELECT " + max + " - seq + 1, seq, 'max' FROM (" + ChunkerIT.numbers(200) + ") n",
        "INSERT INTO {t} VALUES (0, 0, 'zero'), (" + high.subtract(BigInteger.ONE) + ", 0, 'signed max')");
    Function<Random, BigInteger> key = r -> switch (r.nextInt(3)) {
      case 0 -> BigInteger.valueOf(1000L * (1 + r.nextInt(5100)) + (r.nextInt(4) == 0 ? 1 : 0));
      case 1 -> high.add(BigInteger.valueOf(1000L * (1 + r.nextInt(5100)) + (r.nextInt(4) == 0 ? 1 : 0)));
      default -> max.subtract(BigInteger.valueOf(r.nextInt(220)));
    };
    migrate(db, "bigu", r -> switch (r.nextInt(8)) {
      case 0, 1 -> "INSERT INTO {t} (id, v, pad) VALUES (" + key.apply(r) + ", " + r.nextInt(100) + ", 'new')";
      case 2, 3 -> "UPDATE {t} SET v = v + 1, pad = 'upd' WHERE id = " + key.apply(r);
      case 4, 5 -> "UPDATE {t} SET id = " + key.apply(r) + " WHERE id = " + key.apply(r);
      default -> "DELETE FROM {t} WHERE id = " + key.apply(r);
    });
    assertThat(db.queryLong("SELECT COUNT(*) FROM bigu WHERE id >= " + high)).isPositive();
  }

  @ServerTest
  void compositeIntAndVarchar(TestDatabase db) throws Exception {
    int rows = 10_000;
    create(db, "pairs", "(a INT NOT NULL, b VARCHAR(20) CHARACTER SET utf8mb4 NOT NULL, v INT,"
        + " PRIMARY KEY (a, b))",
        "INSERT INTO {t} SELECT seq % 50, CONCAT('b', seq, IF(seq % 3 = 0, 'é', '')), seq FROM ("
            + ChunkerIT.numbers(rows) + ") n");
    // (seq % 50, b(seq)) is an existing key; other a values move a row to another part of the key order.
    Function<Random, String> existing = r -> {
      int seq = 1 + r.nextInt(rows);
      return "a = " + (r.nextInt(5) == 0 ? r.nextInt(60) : seq % 50) + " AND b = 'b" + seq
          + (seq % 3 == 0 ? "é" : "") + "'";
    };
    migrate(db, "pairs", r -> switch (r.nextInt(8)) {
      case 0 -> "INSERT INTO {t} (a, b, v) VALUES (" + r.nextInt(60) + ", 'b" + r.nextInt(rows + 2000) + "', 0)";
      case 1, 2 -> "UPDATE {t} SET v = v + 1 WHERE " + existing.apply(r);
      case 3, 4 -> "UPDATE {t} SET a = " + r.nextInt(60) + " WHERE " + existing.apply(r);
      case 5 -> "UPDATE {t} SET a = " + r.nextInt(50) + ", b = 'b" + (1 + r.nextInt(rows)) + "' WHERE "
          + existing.apply(r);
      case 6 -> "UPDATE {t} SET b = CONCAT(b, 'x') WHERE " + existing.apply(r);
      default -> "DELETE FROM {t} WHERE " + existing.apply(r);
    });
  }

  @ServerTest
  void caseAndAccentInsensitiveVarchar(TestDatabase db) throws Exception {
    int rows = 10_000;
    create(db, "names", "(k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY,"
        + " v INT NOT NULL)",
        "INSERT INTO {t} SELECT CONCAT('key-', LPAD(seq, 5, '0'), IF(seq % 2 = 0, '-é', '-e')), seq FROM ("
            + ChunkerIT.numbers(rows) + ") n");
    // Each literal matches its row whatever case, accents or trailing spaces the row's key has now.
    Function<Random, String> name = r -> {
      String base = String.format("key-%05d-", 1 + r.nextInt(rows + 1000));
      return "'" + switch (r.nextInt(4)) {
        case 0 -> base + "e";
        case 1 -> base.toUpperCase() + "É";
        case 2 -> base + "è ";
        default -> base + "E";
      } + "'";
    };
    migrate(db, "names", r -> switch (r.nextInt(11)) {
      case 0 -> "INSERT INTO {t} (k, v) VALUES (" + name.apply(r) + ", 0)";
      case 1 -> "UPDATE {t} SET k = UPPER(k) WHERE k = " + name.apply(r);
      case 2 -> "UPDATE {t} SET k = LOWER(k) WHERE k = " + name.apply(r);
      case 3 -> "UPDATE {t} SET k = REPLACE(k, 'é', 'e') WHERE k = " + name.apply(r);
      case 4 -> "UPDATE {t} SET k = CONCAT(RTRIM(k), ' ') WHERE k = " + name.apply(r);
      case 5 -> "UPDATE {t} SET k = RTRIM(k) WHERE k = " + name.apply(r);
      case 6, 7 -> "UPDATE {t} SET k = " + name.apply(r) + " WHERE k = " + name.apply(r);
      case 8 -> "UPDATE {t} SET v = v + 1 WHERE k = " + name.apply(r);
      default -> "DELETE FROM {t} WHERE k = " + name.apply(r);
    });
    // The keys' exact spellings were carried: some rows have upper case, stripped accents or a trailing space.
    assertThat(db.queryLong("SELECT COUNT(*) FROM names WHERE CAST(k AS BINARY) LIKE 'KEY-%'")).isPositive();
    assertThat(db.queryLong("SELECT COUNT(*) FROM names WHERE CAST(k AS BINARY) LIKE '% '")).isPositive();
  }

  @ServerTest
  void primaryKeyIsNotTheFirstColumn(TestDatabase db) throws Exception {
    int rows = 10_000;
    create(db, "pklast", "(v INT NOT NULL, g INT AS (v * 3) VIRTUAL, note VARCHAR(20) CHARACTER SET utf8mb4,"
        + " gs VARCHAR(30) CHARACTER SET utf8mb4 AS (CONCAT(note, '!')) STORED, id BIGINT NOT NULL,"
        + " PRIMARY KEY (id))",
        "INSERT INTO {t} (v, note, id) SELECT seq, CONCAT('n', seq), (seq - 5000) * 10 FROM ("
            + ChunkerIT.numbers(rows) + ") n");
    Function<Random, Long> id = r -> 10L * (r.nextInt(rows + 500) - 4999) + (r.nextInt(5) == 0 ? 5 : 0);
    migrate(db, "pklast", r -> switch (r.nextInt(8)) {
      case 0 -> "INSERT INTO {t} (v, note, id) VALUES (" + r.nextInt(100) + ", 'new', " + id.apply(r) + ")";
      case 1, 2 -> "UPDATE {t} SET v = v + 1, note = 'upd' WHERE id = " + id.apply(r);
      case 3, 4, 5 -> "UPDATE {t} SET id = " + id.apply(r) + " WHERE id = " + id.apply(r);
      default -> "DELETE FROM {t} WHERE id = " + id.apply(r);
    });
  }

  /**
   * Unsigned integer key columns holding values above their signed range, which the binlog carries as negative
   * numbers: TINYINT, SMALLINT, MEDIUMINT and INT, in one composite key.
   */
  @ServerTest
  void unsignedKeysAboveTheSignedRange(TestDatabase db) throws Exception {
    int rows = 8_000;
    create(db, "unsig", "(a TINYINT UNSIGNED NOT NULL, b SMALLINT UNSIGNED NOT NULL, c MEDIUMINT UNSIGNED NOT NULL,"
        + " d INT UNSIGNED NOT NULL, v INT NOT NULL, PRIMARY KEY (a, b, c, d))",
        "INSERT INTO {t} SELECT 200 + seq DIV 1000, 65535 - seq % 7, 16777215 - seq, 4294967295 - seq, seq FROM ("
            + ChunkerIT.numbers(rows) + ") n");
    Function<Random, String> key = r -> {
      int seq = 1 + r.nextInt(rows + 300);
      return "a = " + (200 + seq / 1000) + " AND b = " + (65535 - seq % 7) + " AND c = " + (16777215 - seq)
          + " AND d = " + (4294967295L - seq);
    };
    migrate(db, "unsig", r -> switch (r.nextInt(8)) {
      case 0 -> {
        int seq = 1 + r.nextInt(rows + 300);
        yield "INSERT INTO {t} (a, b, c, d, v) VALUES (" + (200 + seq / 1000) + ", " + (65535 - seq % 7) + ", "
            + (16777215 - seq) + ", " + (4294967295L - seq) + ", 0)";
      }
      case 1, 2 -> "UPDATE {t} SET v = v + 1 WHERE " + key.apply(r);
      case 3 -> "UPDATE {t} SET a = " + (128 + r.nextInt(128)) + " WHERE " + key.apply(r);
      case 4 -> "UPDATE {t} SET d = " + (2147483648L + r.nextInt(1 << 30)) + " WHERE " + key.apply(r);
      case 5 -> "UPDATE {t} SET c = " + (8388608 + r.nextInt(8388607)) + ", b = " + (32768 + r.nextInt(32767))
          + " WHERE " + key.apply(r);
      default -> "DELETE FROM {t} WHERE " + key.apply(r);
    });
  }

  /** Half the keys end in zero bytes, which the binlog drops from BINARY(n) values. */
  @ServerTest
  void binary16(TestDatabase db) throws Exception {
    int rows = 10_000;
    create(db, "uuids", "(id BINARY(16) NOT NULL PRIMARY KEY, v INT NOT NULL)",
        "INSERT INTO {t} SELECT UNHEX(CONCAT(LPAD(HEX(seq), 8, '0'), ELT(seq % 3 + 1, REPEAT('00', 12),"
            + " CONCAT(REPEAT('AB', 11), '00'), REPEAT('CD', 12)))), seq FROM (" + ChunkerIT.numbers(rows) + ") n",
        "INSERT INTO {t} VALUES (X'', -1)");
    migrate(db, "uuids", r -> switch (r.nextInt(9)) {
      case 0 -> "INSERT INTO {t} (id, v) VALUES (" + uuid(r, rows, true) + ", 0)";
      case 1, 2 -> "UPDATE {t} SET v = v + 1 WHERE id = " + uuid(r, rows, false);
      case 3, 4, 5 -> "UPDATE {t} SET id = " + uuid(r, rows, true) + " WHERE id = " + uuid(r, rows, false);
      case 6 -> "UPDATE {t} SET id = X'00' WHERE id = " + uuid(r, rows, false);
      default -> "DELETE FROM {t} WHERE id = " + uuid(r, rows, false);
    });
    assertThat(db.queryLong("SELECT COUNT(*) FROM uuids WHERE HEX(id) LIKE '%000000000000000000000000'"))
        .isPositive();
  }

  /**
   * A key in the fill's pattern (existing or a little beyond), as a literal: the full 16 bytes, or, when
   * {@code shortened}, sometimes without its trailing zero bytes (the column pads them back).
   */
  private static String uuid(Random r, int rows, boolean shortened) {
    int seq = 1 + r.nextInt(rows + 500);
    String tail = switch (seq % 3) {
      case 0 -> "00".repeat(12);
      case 1 -> "AB".repeat(11) + "00";
      default -> "CD".repeat(12);
    };
    String hex = String.format("%08X", seq) + tail;
    if (shortened && r.nextBoolean()) {
      hex = hex.replaceAll("(00)+$", "");
    }
    if (hex.length() % 2 != 0) {
      hex = hex + "0";
    }
    return "X'" + hex + "'";
  }
}
