package dev.spirit.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.sentinel.SentinelFaults;
import dev.spirit.status.Phase;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.CountingWriters;
import dev.spirit.testing.ManyTableWriters;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.ServerVariant;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** {@code spirit migrate} with the ALTERs of several tables in one statement: one run, one atomic cutover. */
class MultiTableIT {

  /** @param rows at most 10,000 */
  private static void tables(TestDatabase db, int rows, String... names) throws SQLException {
    for (String name : names) {
      db.execute("DROP TABLE IF EXISTS " + name, "DROP TABLE IF EXISTS _" + name + "_new",
          "CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, v INT NOT NULL)",
          "INSERT INTO " + name + " SELECT seq, 0 FROM (" + ChunkerIT.numbers(rows) + ") n");
    }
  }

  /** Tables of the schema that only a run creates: shadows, checkpoints, old tables, sentries. */
  private static List<String> helpers(TestDatabase db) throws SQLException {
    return db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND (TABLE_NAME LIKE '\\_%' OR TABLE_NAME LIKE '%spirit\\_swap%')").stream().map(r -> r.get(0)).toList();
  }

  private static long columns(TestDatabase db, String table, String column) throws SQLException {
    return db.queryLong("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = '" + table + "' AND COLUMN_NAME = '" + column + "'");
  }

  @ServerTest
  void twoTablesUnderConcurrentWritesEndEqualToTheWritersCopies(TestDatabase db) throws Exception {
    tables(db, 6000, "two_a", "two_b");
    MigrateIT.Run run;
    try (ManyTableWriters writers = new ManyTableWriters(db, List.of("two_a", "two_b"), 3, 6000, 11).start()) {
      run = MigrateIT.spirit(db, "--target-chunk-size", "2KB", "--statement",
          "ALTER TABLE two_a ADD COLUMN extra INT NOT NULL DEFAULT 7; ALTER TABLE two_b MODIFY v BIGINT NOT NULL,"
              + " ADD INDEX (v)");
      Thread.sleep(200);
      writers.close();
      assertThat(writers.errors()).as("application errors").isEmpty();
      assertThat(run.exitCode()).as(run.err()).isZero();
      for (String table : List.of("two_a", "two_b")) {
        RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM " + table + " ORDER BY id"),
            writers.expectedRows(table));
      }
    }
    assertThat(run.err()).contains("migrated `" + db.schema() + "`.`two_a`, `" + db.schema() + "`.`two_b` by")
        .contains("`two_a`: rows copied").contains("`two_b`: rows copied").contains("clean");
    assertThat(cutoverHoldMillis(run)).as("writes blocked at the cutover, ms").isLessThan(1000);
    assertThat(columns(db, "two_a", "extra")).isOne();
    assertThat(db.queryString("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'two_b' AND COLUMN_NAME = 'v'")).isEqualTo("bigint");
    assertThat(helpers(db)).isEmpty();
  }

  @ServerTest
  void fiftyTablesInOneRunUnderConcurrentWrites(TestDatabase db) throws Exception {
    List<String> names = IntStream.rangeClosed(1, 50).mapToObj(i -> String.format("fifty_%02d", i)).toList();
    tables(db, 300, names.toArray(String[]::new));
    String statement = names.stream().map(n -> "ALTER TABLE " + n + " ADD COLUMN extra INT NOT NULL DEFAULT 1")
        .collect(Collectors.joining("; "));
    MigrateIT.Run run;
    try (ManyTableWriters writers = new ManyTableWriters(db, names, 3, 300, 50).start()) {
      run = MigrateIT.spirit(db, "--target-chunk-size", "1KB", "--statement", statement);
      Thread.sleep(200);
      writers.close();
      assertThat(writers.errors()).as("application errors").isEmpty();
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(writers.writes()).isPositive();
      // A probe per table waits until the rename is done; were they serialized, each would add its 1 s timeout.
      assertThat(cutoverHoldMillis(run)).as("writes blocked at the cutover of 50 tables, ms").isLessThan(5000);
      for (String table : names) {
        RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM " + table + " ORDER BY id"),
            writers.expectedRows(table));
        assertThat(columns(db, table, "extra")).as(table).isOne();
      }
    }
    assertThat(helpers(db)).isEmpty();
  }

  /**
   * Transactions write a parent row and its child row together; a reader checks in one statement, again and again,
   * that every parent has its child with the same counter and every child its parent. A cutover that swapped the
   * tables one after the other would let a transaction write one old and one new table, and the reader would see the
   * pair broken. It must never see that, nor any error (1146 above all).
   */
  @ServerTest
  void aReaderNeverSeesTheTablesOutOfStepAcrossTheCutover(TestDatabase db) throws Exception {
    tables(db, 4000, "pair_parent", "pair_child");
    try (PairWriters writers = new PairWriters(db, 3, 4000).start(); PairReader reader = new PairReader(db).start()) {
      MigrateIT.Run run = MigrateIT.spirit(db, "--statement", "ALTER TABLE pair_parent ADD COLUMN note VARCHAR(10)"
          + " DEFAULT 'p'; ALTER TABLE pair_child ADD COLUMN note VARCHAR(10) DEFAULT 'c'");
      Thread.sleep(300);
      writers.close();
      reader.close();
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(writers.errors()).as("writer errors").isEmpty();
      assertThat(reader.problems()).as("what the reader saw").isEmpty();
      assertThat(reader.checks()).as("checks by the reader").isGreaterThan(10);
      RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM pair_parent ORDER BY id"), writers.expectedRows());
      RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM pair_child ORDER BY id"), writers.expectedRows());
    }
    assertThat(columns(db, "pair_parent", "note")).isOne();
    assertThat(columns(db, "pair_child", "note")).isOne();
    assertThat(helpers(db)).isEmpty();
  }

  @ServerTest
  void aRunKilledMidCopyResumesEveryTableFromItsOwnWatermark(TestDatabase db) throws Exception {
    tables(db, 10000, "kill_a", "kill_b");
    String[] args = {"--threads", "1", "--target-chunk-size", "100", "--statement",
        "ALTER TABLE kill_a ADD INDEX (v); ALTER TABLE kill_b ADD COLUMN extra INT NOT NULL DEFAULT 3"};
    try (ManyTableWriters writers = new ManyTableWriters(db, List.of("kill_a", "kill_b"), 2, 10000, 7).start()) {
      SpiritProcess first = SpiritProcess.migrate(db, args);
      first.await("the shadows and the checkpoint table", () -> present(db, "_kill_a_new", "_kill_b_new",
          "_kill_a_chkpnt"));
      Connection stall = db.connection();
      stall.setAutoCommit(false);
      try (Statement s = stall.createStatement()) {
        s.execute("INSERT INTO _kill_b_new (id, v) VALUES (10000, 0)"); // the copy of kill_b waits at its last key
      }
      first.await("a checkpoint of both tables mid-copy", () -> checkpointRows(db) == 2);
      first.kill();
      stall.rollback();
      stall.close();
      List<List<String>> saved = db.queryRows("SELECT original_table_name, copy_completed, copier_watermark IS NULL"
          + " FROM _kill_a_chkpnt ORDER BY id");
      assertThat(saved).as("one checkpoint row per table").hasSize(2);
      assertThat(saved.get(0).get(0)).isEqualTo("kill_a");
      assertThat(saved.get(1)).as("kill_b was killed mid-copy").containsExactly("kill_b", "0", "0");

      SpiritProcess second = SpiritProcess.migrate(db, args);
      assertThat(second.exitCode()).as(second.output()).isZero();
      assertThat(second.output()).doesNotContain("afresh")
          .doesNotContain(" ERROR ") // the new tables' rows after the swap are not judged by the old definitions
          .contains("resuming the migration of `" + db.schema() + "`.`kill_a`")
          .contains("resuming the migration of `" + db.schema() + "`.`kill_b` from its checkpoint: copy continues"
              + " from key")
          .contains("copy of `" + db.schema() + "`.`kill_a` complete").contains("copy of `" + db.schema()
              + "`.`kill_b` complete");
      writers.close();
      assertThat(writers.errors()).as("application errors").isEmpty();
      for (String table : List.of("kill_a", "kill_b")) {
        RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM " + table + " ORDER BY id"),
            writers.expectedRows(table));
      }
    }
    assertThat(columns(db, "kill_b", "extra")).isOne();
    assertThat(helpers(db)).isEmpty();
  }

  private static long cutoverHoldMillis(MigrateIT.Run run) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\n  cutover: writes to .* blocked for (\\d+) ms")
        .matcher(run.err());
    assertThat(m.find()).as(run.err()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static boolean present(TestDatabase db, String... names) {
    try {
      return db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND"
          + " TABLE_NAME IN ('" + String.join("', '", names) + "')") == names.length;
    } catch (SQLException e) {
      return false;
    }
  }

  private static long checkpointRows(TestDatabase db) {
    try {
      return db.queryLong("SELECT COUNT(*) FROM _kill_a_chkpnt WHERE copy_completed = 0 OR original_table_name"
          + " = 'kill_a'");
    } catch (SQLException e) {
      return 0;
    }
  }

  @ServerTest
  void aSecondRunOfSeveralTablesInTheSchemaIsRefusedWhileTheFirstWaits(TestDatabase db) throws Exception {
    tables(db, 500, "wait_a", "wait_b", "other_c", "other_d", "single_e");
    db.execute("DROP TABLE IF EXISTS _spirit_sentinel");
    SentinelRun first = new SentinelRun(db, "ALTER TABLE wait_a ADD INDEX (v); ALTER TABLE wait_b ADD INDEX (v)",
        true, Duration.ofMinutes(10), SentinelFaults.NONE);
    SentinelRun single = null;
    try {
      assertThat(first.owner).isEqualTo("migrate:" + db.schema() + ".wait_a,wait_b");
      first.await("the run's row ready at the sentinel", () -> first.phase() == Phase.WAIT_FOR_RELEASE
          && "ready".equals(SentinelRun.status(db, first.owner)));

      MigrateIT.Run second = MigrateIT.spirit(db, "--statement",
          "ALTER TABLE other_c ADD INDEX (v); ALTER TABLE other_d ADD INDEX (v)");
      assertThat(second.exitCode()).as(second.err()).isEqualTo(3);
      assertThat(second.err()).contains("another spirit run on several tables of `" + db.schema() + "` is in"
          + " progress (held by connection");
      assertThat(helpers(db)).containsExactlyInAnyOrder("_spirit_sentinel", "_wait_a_new", "_wait_b_new",
          "_wait_a_chkpnt");

      // A run of one table is unaffected: it gets as far as its own wait at the sentinel.
      single = new SentinelRun(db, "ALTER TABLE single_e ADD INDEX (v)", false, Duration.ofMinutes(10),
          SentinelFaults.NONE);
      SentinelRun e = single;
      single.await("the single-table run's wait", () -> e.phase() == Phase.WAIT_FOR_RELEASE);
    } finally {
      db.execute("DROP TABLE IF EXISTS _spirit_sentinel");
      for (SentinelRun run : java.util.Arrays.asList(first, single)) {
        if (run != null) {
          run.done.handle((ok, e) -> null).get(2, java.util.concurrent.TimeUnit.MINUTES); // never leave one running
        }
      }
    }
    assertThat(first.done).as(first.output()).isCompleted();
    assertThat(single.done).as(single.output()).isCompleted();
    for (String table : List.of("wait_a", "wait_b", "single_e")) {
      assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
          + " AND TABLE_NAME = '" + table + "' AND COLUMN_NAME = 'v'")).as(table).isOne();
    }
    assertThat(helpers(db)).isEmpty();
  }

  @ServerTest(variants = {ServerVariant.STANDARD, ServerVariant.LOWER_CASE_NAMES_NON_UTC})
  void refusalsChangeNothing(TestDatabase db) throws Exception {
    tables(db, 100, "ref_a", "ref_b");
    db.execute("DROP TABLE IF EXISTS ref_nokey", "CREATE TABLE ref_nokey (v INT)");
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("ALTER TABLE ref_a ADD COLUMN x INT; DROP TABLE ref_b", "is not an ALTER TABLE");
    refused.put("ALTER TABLE ref_a ADD COLUMN x INT; CREATE TABLE ref_c (id INT PRIMARY KEY)",
        "is not an ALTER TABLE");
    refused.put("ALTER TABLE ref_a ADD COLUMN x INT; RENAME TABLE ref_b TO ref_c", "is not an ALTER TABLE");
    refused.put("ALTER TABLE ref_a ADD COLUMN x INT; ALTER TABLE elsewhere.ref_b ADD COLUMN x INT",
        "does not match --database");
    refused.put("ALTER TABLE ref_a ADD COLUMN x INT; ALTER TABLE ref_a ADD COLUMN y INT", "altered by 2 statements");
    refused.put("ALTER TABLE ref_a ADD COLUMN x INT; ALTER TABLE ref_nokey ADD COLUMN x INT", "has no primary key");
    refused.put("ALTER TABLE ref_a ADD COLUMN x INT; ALTER TABLE ref_missing ADD COLUMN x INT", "ref_missing");
    if (db.queryLong("SELECT @@lower_case_table_names") == 1) {
      refused.put("ALTER TABLE ref_a ADD COLUMN x INT; ALTER TABLE REF_A ADD COLUMN y INT", "the same table");
    }
    for (Map.Entry<String, String> e : refused.entrySet()) {
      MigrateIT.Run run = MigrateIT.spirit(db, "--statement", e.getKey());
      assertThat(run.exitCode()).as(e.getKey() + "\n" + run.err()).isEqualTo(3);
      assertThat(run.err()).as(e.getKey()).contains(e.getValue());
      assertThat(helpers(db)).as("left behind by " + e.getKey()).isEmpty();
      assertThat(columns(db, "ref_a", "x")).as("ref_a after " + e.getKey()).isZero();
      assertThat(columns(db, "ref_b", "x")).as("ref_b after " + e.getKey()).isZero();
    }
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME IN ('ref_a', 'ref_b', 'ref_nokey')")).isEqualTo(3);
  }

  /** Where the server folds names, the tables are found and named as it stores them, whatever case the ALTERs use. */
  @ServerTest(variants = ServerVariant.LOWER_CASE_NAMES_NON_UTC)
  void namesAreTheServersWhereItFoldsThem(TestDatabase db) throws Exception {
    tables(db, 500, "case_a", "case_b");
    MigrateIT.Run run = MigrateIT.spirit(db, "--statement",
        "ALTER TABLE Case_A ADD COLUMN x INT; ALTER TABLE CASE_B ADD COLUMN y INT");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("migrated `" + db.schema() + "`.`case_a`, `" + db.schema() + "`.`case_b` by");
    assertThat(columns(db, "case_a", "x")).isOne();
    assertThat(columns(db, "case_b", "y")).isOne();
    assertThat(db.queryLong("SELECT COUNT(*) FROM case_a")).isEqualTo(500);
    assertThat(helpers(db)).isEmpty();
  }

  /**
   * Writers that keep the invariant "a child row for every parent row, with the same counter" in every transaction,
   * and the expected content of both tables (the same rows).
   */
  private static final class PairWriters implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<Long, Integer> expected = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

    PairWriters(TestDatabase db, int threadCount, long initialRows) {
      for (long id = 1; id <= initialRows; id++) {
        expected.put(id, 0);
      }
      for (int t = 0; t < threadCount; t++) {
        int me = t;
        threads.add(new Thread(() -> run(db, me, threadCount, initialRows), "pair-writer-" + t));
      }
    }

    PairWriters start() {
      threads.forEach(Thread::start);
      return this;
    }

    private void run(TestDatabase db, int me, int threadCount, long initialRows) {
      Random random = new Random(99 + me);
      long next = 1_000_000_000L + me * 10_000_000L;
      try (Connection c = db.connection()) {
        c.setAutoCommit(false);
        while (!stop.get()) {
          long id = me + 1 + (long) threadCount * random.nextInt((int) (initialRows / threadCount));
          int op = random.nextInt(10);
          try {
            if (op < 2) {
              long added = next++;
              both(c, "INSERT INTO %s (id, v) VALUES (?, 0)", added);
              c.commit();
              expected.put(added, 0);
            } else if (op < 9) {
              if (expected.containsKey(id)) {
                both(c, "UPDATE %s SET v = v + 1 WHERE id = ?", id);
                c.commit();
                expected.merge(id, 1, Integer::sum);
              }
            } else if (expected.containsKey(id)) {
              both(c, "DELETE FROM %s WHERE id = ?", id);
              c.commit();
              expected.remove(id);
            }
            Thread.sleep(1);
          } catch (SQLException e) {
            c.rollback();
            if (errors.size() < 20) {
              errors.add(e.getErrorCode() + " " + e.getMessage());
            }
          }
        }
      } catch (SQLException e) {
        errors.add("connection: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static void both(Connection c, String sql, long id) throws SQLException {
      for (String table : List.of("pair_parent", "pair_child")) {
        try (PreparedStatement ps = c.prepareStatement(String.format(sql, table))) {
          ps.setLong(1, id);
          if (ps.executeUpdate() != 1) {
            throw new SQLException("no row " + id + " in " + table);
          }
        }
      }
    }

    List<String> errors() {
      return List.copyOf(errors);
    }

    List<List<String>> expectedRows() {
      return CountingWriters.rows(expected);
    }

    @Override
    public void close() throws InterruptedException {
      CountingWriters.stopAll(stop, threads);
    }
  }

  /** Checks the pair invariant across both tables in one statement (one snapshot), continuously. */
  private static final class PairReader implements AutoCloseable {
    private static final String CHECK = "SELECT"
        + " (SELECT COUNT(*) FROM pair_parent p WHERE NOT EXISTS (SELECT 1 FROM pair_child c WHERE c.id = p.id"
        + " AND c.v = p.v)),"
        + " (SELECT COUNT(*) FROM pair_child c WHERE NOT EXISTS (SELECT 1 FROM pair_parent p WHERE p.id = c.id))";
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong checks = new AtomicLong();
    private final Thread thread;

    PairReader(TestDatabase db) {
      thread = new Thread(() -> {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
          while (!stop.get()) {
            try (ResultSet rs = s.executeQuery(CHECK)) {
              rs.next();
              if (rs.getLong(1) != 0 || rs.getLong(2) != 0) {
                problems.add(rs.getLong(1) + " parents without their child, " + rs.getLong(2)
                    + " children without their parent");
              }
              checks.incrementAndGet();
            } catch (SQLException e) {
              problems.add(e.getErrorCode() + " " + e.getMessage());
            }
          }
        } catch (SQLException e) {
          problems.add("connection: " + e.getMessage());
        }
      }, "pair-reader");
    }

    PairReader start() {
      thread.start();
      return this;
    }

    List<String> problems() {
      return problems.stream().limit(20).toList();
    }

    long checks() {
      return checks.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(30_000);
    }
  }
}
