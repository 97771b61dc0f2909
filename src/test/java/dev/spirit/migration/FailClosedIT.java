package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.MirroredWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.ServerVariant;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * What an operator does to a table while a deferred run waits at {@code ready}, and what the run must make of it:
 * changes it cannot see must stop it, changes it can see must reach the new table, and statements that only name the
 * table must not disturb it. Every write is mirrored into a table spirit never touches, which is the expectation.
 */
@Isolated // acts on the whole server (docs/testing.md)
class FailClosedIT {
  private static final Duration LONG = Duration.ofMinutes(5);

  /** {@code name} and {@code name_mirror}, equal, with {@code rows} rows of (id, v, w). */
  static void tables(TestDatabase db, String name, int rows) throws SQLException {
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel", "DROP TABLE IF EXISTS " + name,
        "DROP TABLE IF EXISTS " + name + "_mirror",
        "CREATE TABLE " + name + " (id INT NOT NULL PRIMARY KEY, v INT NOT NULL, w INT NOT NULL)",
        "INSERT INTO " + name + " SELECT seq, seq % 97, seq FROM (" + ChunkerIT.numbers(rows) + ") n",
        "CREATE TABLE " + name + "_mirror LIKE " + name,
        "INSERT INTO " + name + "_mirror SELECT * FROM " + name);
  }

  /** Starts a deferred run and returns once its sentinel row says ready. */
  static SentinelRun ready(TestDatabase db, String schema, String statement) throws InterruptedException {
    SentinelRun run = new SentinelRun(db, schema, statement, true, LONG, SentinelFaults.NONE);
    // the owner names the table as the server stores it, known once the run has looked it up
    run.await("the run to be ready", () -> "ready".equals(SentinelRun.status(db, run.runner.owner())));
    return run;
  }

  /** Runs the statements in one transaction of one session, after {@code setup} on that session. */
  static void inOneTransaction(TestDatabase db, List<String> setup, String... statements) throws SQLException {
    try (Connection c = MirroredWriters.session(db, setup); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (String sql : statements) {
        s.execute(sql);
      }
      c.commit();
    }
  }

  static void assertEqualToMirror(TestDatabase db, String table) throws SQLException {
    RowDiff.assertSameRows(db.queryRows("SELECT id, v, w FROM " + table + " ORDER BY id"),
        db.queryRows("SELECT id, v, w FROM " + table + "_mirror ORDER BY id"));
  }

  static boolean hasColumn(TestDatabase db, String table, String column) throws SQLException {
    return db.queryLong("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = '" + table + "' AND COLUMN_NAME = '" + column + "'") == 1;
  }

  /**
   * The server stores {@code orders}; the operator writes {@code Orders} and the schema in upper case. The binlog
   * carries the stored names, and every update made while the run waits must be in the new table.
   */
  @ServerTest(variants = ServerVariant.LOWER_CASE_NAMES_NON_UTC)
  void namesAreMatchedAsTheServerMatchesThem(TestDatabase db) throws Exception {
    tables(db, "Orders", 3000);
    assertThat(db.queryString("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'orders'")).isEqualTo("orders");
    SentinelRun run = ready(db, db.schema().toUpperCase(java.util.Locale.ROOT),
        "ALTER TABLE Orders ADD COLUMN note VARCHAR(10) NULL, ADD INDEX v_idx (v)");
    inOneTransaction(db, List.of(), "UPDATE ORDERS SET w = w + 1000 WHERE id <= 500",
        "UPDATE orders_mirror SET w = w + 1000 WHERE id <= 500");
    db.execute("DROP TABLE _SPIRIT_SENTINEL");
    assertThat(run.outcome()).as(run.output()).isNull();
    assertThat(hasColumn(db, "orders", "note")).isTrue();
    assertEqualToMirror(db, "orders");
  }

  /** MySQL writes a session's transactions as one compressed payload event; their changes must not be skipped. */
  @ServerTest
  void compressedTransactionsAreRead(TestDatabase db) throws Exception {
    assumeTrue(!db.server().isMariaDb(), "binlog_transaction_compression is MySQL's");
    tables(db, "packed", 3000);
    SentinelRun run = ready(db, db.schema(), "ALTER TABLE packed ADD INDEX (v)");
    inOneTransaction(db, List.of("SET SESSION binlog_transaction_compression = ON"),
        "UPDATE packed SET w = w + 1000 WHERE id <= 300", "UPDATE packed_mirror SET w = w + 1000 WHERE id <= 300");
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
    assertEqualToMirror(db, "packed");
  }

  /** A statement-format change names rows the binlog does not list: the run cannot apply it and must stop. */
  @ServerTest
  void statementFormatChangesStopTheRun(TestDatabase db) throws Exception {
    tables(db, "stmt", 3000);
    SentinelRun run = ready(db, db.schema(), "ALTER TABLE stmt ADD INDEX (v)");
    inOneTransaction(db, List.of("SET SESSION binlog_format = 'STATEMENT'"),
        "UPDATE stmt SET w = w + 1000 WHERE id <= 300", "UPDATE stmt_mirror SET w = w + 1000 WHERE id <= 300");
    Thread.sleep(1500); // the wait applies changes every second; the failure must not need the release
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel");
    Throwable outcome = run.outcome();
    assertThat(outcome).as(run.output()).isInstanceOf(SpiritException.class);
    assertThat(((SpiritException) outcome).code()).isEqualTo(ErrorCode.BINLOG_FAILED);
    assertThat(outcome.getMessage()).contains("statement").contains("binlog_format");
    assertEqualToMirror(db, "stmt");
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'stmt' AND COLUMN_NAME = 'v'")).as("the original table is unchanged").isZero();
  }

  /** DDL with sql_log_bin=0 never reaches the binlog; swapping the table would silently drop its column. */
  @ServerTest
  void unloggedDdlStopsTheCutover(TestDatabase db) throws Exception {
    tables(db, "quiet", 3000);
    SentinelRun run = ready(db, db.schema(), "ALTER TABLE quiet ADD INDEX (v)");
    try (Connection c = MirroredWriters.session(db, List.of("SET SESSION sql_log_bin = 0"));
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE quiet ADD COLUMN extra INT NOT NULL DEFAULT 5");
    }
    db.execute("DROP TABLE _spirit_sentinel");
    Throwable outcome = run.outcome();
    assertThat(outcome).as(run.output()).isInstanceOf(SpiritException.class);
    assertThat(outcome.getMessage()).contains("quiet").contains("definition");
    assertThat(hasColumn(db, "quiet", "extra")).as("the column added behind spirit's back is still there").isTrue();
    assertThat(db.queryLong("SELECT COUNT(*) FROM quiet WHERE extra = 5")).isEqualTo(3000);
    assertEqualToMirror(db, "quiet");
  }

  /** Statements that only name the table, or share its name, change nothing the run depends on. */
  @ServerTest
  void statementsThatOnlyNameTheTableDoNotStopIt(TestDatabase db) throws Exception {
    tables(db, "named", 3000);
    db.execute("DROP VIEW IF EXISTS named_view", "DROP TABLE IF EXISTS named_like", "DROP EVENT IF EXISTS named",
        "DROP PROCEDURE IF EXISTS named");
    SentinelRun run = ready(db, db.schema(), "ALTER TABLE named ADD INDEX (v)");
    db.execute("CREATE VIEW named_view AS SELECT id, v FROM named",
        "CREATE TABLE named_like LIKE named",
        "CREATE EVENT named ON SCHEDULE EVERY 1 DAY DO SELECT 1",
        "ALTER EVENT named DISABLE",
        "CREATE PROCEDURE named() SELECT COUNT(*) FROM named",
        "ANALYZE TABLE named");
    inOneTransaction(db, List.of(), "UPDATE named SET w = w + 1000 WHERE id <= 300",
        "UPDATE named_mirror SET w = w + 1000 WHERE id <= 300");
    Thread.sleep(1500);
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
    assertEqualToMirror(db, "named");
    db.execute("DROP VIEW named_view", "DROP EVENT named", "DROP PROCEDURE named");
  }

  /**
   * The advisory lock proves the run owns the table. An idle lock session closed by wait_timeout would let a second
   * run take over the first one's shadow table.
   */
  @ServerTest
  void theLockOutlivesWaitTimeout(TestDatabase db) throws Exception {
    tables(db, "owned", 2000);
    long before = db.queryLong("SELECT @@GLOBAL.wait_timeout");
    SentinelRun first;
    try {
      db.execute("SET GLOBAL wait_timeout = 3");
      first = ready(db, db.schema(), "ALTER TABLE owned ADD INDEX (v)");
      Thread.sleep(5000);
      SentinelRun second = new SentinelRun(db, db.schema(), "ALTER TABLE owned ADD INDEX (v)", true, LONG,
          SentinelFaults.NONE);
      try {
        Throwable refused = second.outcome();
        assertThat(refused).as(second.output()).isInstanceOf(SpiritException.class);
        assertThat(((SpiritException) refused).code()).isEqualTo(ErrorCode.ALREADY_RUNNING);
      } finally {
        second.runner.cancel();
      }
    } finally {
      db.execute("SET GLOBAL wait_timeout = " + before);
    }
    inOneTransaction(db, List.of(), "UPDATE owned SET w = w + 1000 WHERE id <= 300",
        "UPDATE owned_mirror SET w = w + 1000 WHERE id <= 300");
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(first.outcome()).as(first.output()).isNull();
    assertEqualToMirror(db, "owned");
  }

  /**
   * The server's dump thread is killed again and again while the copy runs under a write load: every time the
   * subscription must notice, reconnect from the last transaction boundary it handled, and lose nothing.
   */
  @ServerTest
  void killedBinlogConnectionsAreReplacedWithNothingLost(TestDatabase db) throws Exception {
    tables(db, "dumped", 30000);
    java.util.concurrent.atomic.AtomicInteger kills = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread killer = new Thread(() -> {
      while (!stop.get()) {
        try {
          List<List<String>> dumps = db.queryRows("SELECT ID FROM information_schema.PROCESSLIST"
              + " WHERE COMMAND LIKE 'Binlog Dump%'");
          for (List<String> dump : dumps) {
            db.execute("KILL " + dump.get(0));
            kills.incrementAndGet();
          }
          Thread.sleep(dumps.isEmpty() ? 10 : 400);
        } catch (Exception e) {
          // the thread was gone already
        }
      }
    }, "dump-killer");
    try (MirroredWriters writers = new MirroredWriters(db, "dumped", "dumped_mirror", 2, 77L, 1_000_000, List.of(),
        r -> {
          int id = 1 + r.nextInt(20000);
          return switch (r.nextInt(3)) {
            case 0 -> "UPDATE {t} SET w = w + 1 WHERE id = " + id;
            case 1 -> "DELETE FROM {t} WHERE id = " + id;
            default -> "INSERT INTO {t} VALUES (" + (20000 + id) + ", 1, 1)";
          };
        }).start()) {
      writers.awaitCommitted(50);
      killer.start();
      SentinelRun run = new SentinelRun(db, db.schema(), "ALTER TABLE dumped ADD INDEX (v)", false, LONG,
          SentinelFaults.NONE);
      Throwable outcome = run.outcome();
      stop.set(true);
      killer.join();
      writers.close();
      assertThat(outcome).as(run.output()).isNull();
      assertThat(writers.errors()).isEmpty();
    }
    assertThat(kills.get()).as("dump threads killed during the run").isPositive();
    assertEqualToMirror(db, "dumped");
  }

  /**
   * A session writing partial row images (MINIMAL: the key and the changed columns only; NOBLOB) while the run waits:
   * keys are read through the image's column bitmap, including a key that is not the first column and one the update
   * changes.
   */
  @ServerTest
  void partialRowImagesAreKeyedThroughTheirColumns(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel", "DROP TABLE IF EXISTS partial",
        "DROP TABLE IF EXISTS partial_mirror",
        "CREATE TABLE partial (v INT NOT NULL, w INT NOT NULL, id INT NOT NULL PRIMARY KEY, doc TEXT)",
        "INSERT INTO partial SELECT seq % 97, seq, seq, REPEAT('x', 100) FROM (" + ChunkerIT.numbers(3000) + ") n",
        "CREATE TABLE partial_mirror LIKE partial", "INSERT INTO partial_mirror SELECT * FROM partial");
    SentinelRun run = ready(db, db.schema(), "ALTER TABLE partial ADD INDEX (v)");
    for (String image : List.of("MINIMAL", "NOBLOB")) {
      int base = image.equals("MINIMAL") ? 0 : 1000;
      inOneTransaction(db, List.of("SET SESSION binlog_row_image = '" + image + "'"),
          "UPDATE partial SET w = w + 7 WHERE id BETWEEN " + (base + 1) + " AND " + (base + 300),
          "UPDATE partial_mirror SET w = w + 7 WHERE id BETWEEN " + (base + 1) + " AND " + (base + 300),
          "UPDATE partial SET id = id + 100000 WHERE id BETWEEN " + (base + 301) + " AND " + (base + 400),
          "UPDATE partial_mirror SET id = id + 100000 WHERE id BETWEEN " + (base + 301) + " AND " + (base + 400),
          "DELETE FROM partial WHERE id BETWEEN " + (base + 401) + " AND " + (base + 450),
          "DELETE FROM partial_mirror WHERE id BETWEEN " + (base + 401) + " AND " + (base + 450),
          "INSERT INTO partial (v, w, id) VALUES (1, 1, " + (200000 + base) + ")",
          "INSERT INTO partial_mirror (v, w, id) VALUES (1, 1, " + (200000 + base) + ")");
    }
    db.execute("DROP TABLE _spirit_sentinel");
    assertThat(run.outcome()).as(run.output()).isNull();
    RowDiff.assertSameRows(db.queryRows("SELECT id, v, w, doc FROM partial ORDER BY id"),
        db.queryRows("SELECT id, v, w, doc FROM partial_mirror ORDER BY id"));
  }

  /**
   * MariaDB's compressed binlog events (log_bin_compress=ON; the server compresses rows events of wide rows) cannot be
   * read: the setting is refused at the start, and turned on during a run it stops the run.
   */
  @ServerTest
  void compressedMariaDbBinlogIsRefusedOrStopsTheRun(TestDatabase db) throws Exception {
    assumeTrue(db.server().isMariaDb(), "log_bin_compress is MariaDB's");
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel", "DROP TABLE IF EXISTS squeezed",
        "CREATE TABLE squeezed (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(200) NOT NULL)",
        "INSERT INTO squeezed SELECT seq, seq % 7, REPEAT('a', 150) FROM (" + ChunkerIT.numbers(3000) + ") n");
    try {
      db.execute("SET GLOBAL log_bin_compress = ON");
      SentinelRun refused = new SentinelRun(db, db.schema(), "ALTER TABLE squeezed ADD INDEX (v)", true, LONG,
          SentinelFaults.NONE);
      assertThat(refused.outcome()).isInstanceOf(SpiritException.class).hasMessageContaining("log_bin_compress");
      db.execute("SET GLOBAL log_bin_compress = OFF");
      SentinelRun run = ready(db, db.schema(), "ALTER TABLE squeezed ADD INDEX (v)");
      db.execute("SET GLOBAL log_bin_compress = ON");
      inOneTransaction(db, List.of(), "UPDATE squeezed SET note = REPEAT('b', 150) WHERE id <= 300");
      String file = db.queryRows("SHOW MASTER STATUS").get(0).get(0);
      assertThat(db.queryRows("SHOW BINLOG EVENTS IN '" + file + "'").stream().map(r -> r.get(2))
          .filter(type -> type.contains("compressed")).count()).as("compressed events written").isPositive();
      Throwable outcome = run.outcome();
      assertThat(outcome).as(run.output()).isInstanceOf(SpiritException.class);
      assertThat(((SpiritException) outcome).code()).isEqualTo(ErrorCode.BINLOG_FAILED);
      assertThat(outcome.getMessage()).contains("log_bin_compress");
    } finally {
      db.execute("SET GLOBAL log_bin_compress = OFF", "DROP TABLE IF EXISTS _spirit_sentinel");
    }
    assertThat(db.queryLong("SELECT COUNT(*) FROM squeezed WHERE note = REPEAT('b', 150)")).isEqualTo(300);
  }
}
