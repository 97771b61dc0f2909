package dev.spirit.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.spirit.checksum.Checksummer;
import dev.spirit.db.BackgroundPriority;
import dev.spirit.db.Database;
import dev.spirit.db.ServerFlavor;
import dev.spirit.table.ChunkerIT;
import dev.spirit.testing.CountingWriters;
import dev.spirit.testing.DelayingProxy;
import dev.spirit.testing.Pipeline;
import dev.spirit.testing.RowDiff;
import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.parallel.Isolated;

/** The swap under steady writes: no application error, no lost write, the new definition in place. */
@Isolated // acts on the whole server (docs/testing.md)
class CutoverIT {

  @ServerTest
  void swapsUnderSteadyWritesWithoutErrorsOrLostWrites(TestDatabase db) throws Exception {
    tableAndShadow(db, "busy", 5000, "ADD COLUMN note VARCHAR(10) DEFAULT 'new'");
    try (CountingWriters writers = new CountingWriters(db, "busy", 4, 5000, 11).start();
        Pipeline p = new Pipeline(db, "busy", "_busy_new", Duration.ofSeconds(10))) {
      p.copy();
      new Checksummer(p.database, p.pool, p.source, p.target, p.mapping, p.drain, 2, 1000,
          BackgroundPriority.normal("test")).run(() -> false);
      p.drain.catchUp();
      CutoverPlan plan = new CutoverPlan(p.database, db.schema(), "busy", "_busy_new", "_busy_old", p.drain,
          p.binlog, Map.of());
      long before = writers.writes();
      Logger cutoverLog = (Logger) LoggerFactory.getLogger("dev.spirit.cutover");
      ListAppender<ILoggingEvent> logged = new ListAppender<>();
      logged.start();
      cutoverLog.addAppender(logged);
      long lockedMillis;
      try {
        lockedMillis = new Cutover(CutoverStrategy.forFlavor(p.flavor), 100).run(plan).lockedMillis();
      } finally {
        cutoverLog.detachAppender(logged);
      }
      assertHoldIsLoggedInParts(logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList(), lockedMillis);
      long until = System.nanoTime() + 2_000_000_000L;
      while (writers.writes() < before + 300 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      writers.close();
      assertThat(writers.errors()).as("application errors").isEmpty();
      assertThat(writers.writes()).isGreaterThan(before + 100);
      RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM busy ORDER BY id"), writers.expectedRows());
    }
    assertThat(db.queryLong("SELECT COUNT(*) FROM busy WHERE note = 'new'"))
        .isEqualTo(db.queryLong("SELECT COUNT(*) FROM busy"));
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME IN ('_busy_new', 'busy_spirit_swap')")).isZero();
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = '_busy_old'")).isOne();
  }

  /** The hold's log line splits it into the last changes and the swap, and its parts add up to the whole. */
  /**
   * {@code table} with {@code rows} rows of (id, v) and its shadow {@code _<table>_new}, changed by {@code shadowAlter}
   * unless it is null; no {@code _<table>_old}.
   */
  private static void tableAndShadow(TestDatabase db, String table, int rows, String shadowAlter) throws Exception {
    String shadow = "_" + table + "_new";
    db.execute("DROP TABLE IF EXISTS " + table, "DROP TABLE IF EXISTS " + shadow,
        "DROP TABLE IF EXISTS _" + table + "_old", "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v INT NOT NULL)",
        "INSERT INTO " + table + " SELECT seq, 0 FROM (" + ChunkerIT.numbers(rows) + ") n",
        "CREATE TABLE " + shadow + " LIKE " + table);
    if (shadowAlter != null) {
      db.execute("ALTER TABLE " + shadow + " " + shadowAlter);
    }
  }

  private static void assertHoldIsLoggedInParts(List<String> messages, long lockedMillis) {
    Pattern hold = Pattern.compile("tables locked for (\\d+) ms during cutover \\((\\d+) ms applying the last"
        + " (\\d+) changed rows, (\\d+) ms (renaming|swapping through the sentry tables)\\)");
    Matcher m = messages.stream().map(hold::matcher).filter(Matcher::matches)
        .findFirst().orElseThrow(() -> new AssertionError("no cutover hold line in " + messages));
    long total = Long.parseLong(m.group(1));
    assertThat(total).isEqualTo(lockedMillis);
    assertThat(Long.parseLong(m.group(2)) + Long.parseLong(m.group(4))).isBetween(total - 1, total);
  }

  /**
   * Another session holds the new table's metadata lock while the cutover runs (as InnoDB's purge or statistics
   * threads do for a moment on MariaDB 10.6+). On MariaDB the rename session then waits on the new table, not yet
   * queued on the table itself, while the processlist already says "Waiting for table metadata lock"; unlocking
   * then would let the queued writes into the old table after the last drain. No write may be lost.
   */
  @ServerTest
  void aSessionHoldingTheNewTableCannotLetWritesIntoTheOldTable(TestDatabase db) throws Exception {
    cutOverWhileTheNewTableIsHeld(db, "heldnew", 0);
  }

  /**
   * The same on a slow link (30 ms each way between the tool and the server): a reply that takes long is no evidence
   * that the rename is queued on the table, so the decision to unlock must not change, and no write may be lost.
   */
  @ServerTest
  void aSlowLinkDoesNotChangeTheDecisionToUnlock(TestDatabase db) throws Exception {
    cutOverWhileTheNewTableIsHeld(db, "slowlink", 30);
  }

  private static void cutOverWhileTheNewTableIsHeld(TestDatabase db, String table, long delayMillis)
      throws Exception {
    String shadow = "_" + table + "_new";
    tableAndShadow(db, table, 2000, null);
    try (CountingWriters writers = new CountingWriters(db, table, 4, 2000, 13).start();
        Pipeline p = new Pipeline(db, table, shadow, Duration.ofSeconds(10));
        DelayingProxy proxy = new DelayingProxy(db.server().host(), db.server().port(), delayMillis);
        Connection holder = db.connection(); var s = holder.createStatement()) {
      p.copy();
      p.drain.catchUp();
      holder.setAutoCommit(false);
      s.executeQuery("SELECT * FROM " + shadow + " LIMIT 1").close(); // a shared metadata lock until commit
      // Held until the cutover is seen waiting on it, and a while longer: the rename must wait here, holding nothing
      // on the table itself, while the application keeps writing.
      CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
        try {
          long deadline = System.nanoTime() + 20_000_000_000L;
          while (System.nanoTime() < deadline && db.queryRows("SELECT ID FROM information_schema.PROCESSLIST"
              + " WHERE STATE = 'Waiting for table metadata lock' AND (INFO LIKE 'RENAME TABLE%'"
              + " OR INFO LIKE 'LOCK TABLES%')").isEmpty()) {
            Thread.sleep(5);
          }
          Thread.sleep(700);
          holder.commit();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Database overTheLink = delayMillis == 0 ? p.database : new Database(proxy.jdbcUrl(db.server(), db.schema()),
          db.server().user(), db.server().password(), Duration.ofSeconds(10));
      CutoverPlan plan = new CutoverPlan(overTheLink, db.schema(), table, shadow, "_" + table + "_old", p.drain,
          p.binlog, Map.of());
      new Cutover(CutoverStrategy.forFlavor(p.flavor), 100).run(plan);
      release.get();
      long after = writers.writes();
      long until = System.nanoTime() + 2_000_000_000L;
      while (writers.writes() < after + 100 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      writers.close();
      assertThat(writers.errors()).as("application errors").isEmpty();
      RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM " + table + " ORDER BY id"), writers.expectedRows());
    }
  }

  @ServerTest
  void aHeldTableLockMakesEveryAttemptFailAndLeavesTheTableInPlace(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS held", "DROP TABLE IF EXISTS _held_new", "DROP TABLE IF EXISTS _held_old",
        "CREATE TABLE held (id BIGINT PRIMARY KEY, v INT NOT NULL)", "INSERT INTO held VALUES (1, 1)",
        "CREATE TABLE _held_new LIKE held");
    try (Pipeline p = new Pipeline(db, "held", "_held_new", Duration.ofSeconds(1));
        var holder = db.connection(); var s = holder.createStatement()) {
      p.copy();
      s.execute("LOCK TABLES held READ");
      CutoverPlan plan = new CutoverPlan(p.database, db.schema(), "held", "_held_new", "_held_old", p.drain,
          p.binlog, Map.of());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> new Cutover(CutoverStrategy.forFlavor(p.flavor), 10).run(plan))
          .hasMessageContaining("failed 3 times").hasMessageContaining("original table is in place");
      s.execute("UNLOCK TABLES");
    }
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME IN ('held', '_held_new')")).isEqualTo(2);
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME IN ('_held_old', 'held_spirit_swap')")).isZero();
  }

  /**
   * The session holding the lock dies right after the rename was issued. The run must read the outcome from the
   * tables present and report success, with no client error and no lost write.
   */
  @ServerTest
  void theLockSessionDyingAfterTheRenameIsResolvedFromTheTablesPresent(TestDatabase db) throws Exception {
    tableAndShadow(db, "fault", 3000, "ADD COLUMN note VARCHAR(10) DEFAULT 'new'");
    try (CountingWriters writers = new CountingWriters(db, "fault", 3, 3000, 23).start();
        Pipeline p = new Pipeline(db, "fault", "_fault_new", Duration.ofSeconds(10))) {
      p.copy();
      p.drain.catchUp();
      java.util.concurrent.atomic.AtomicInteger kills = new java.util.concurrent.atomic.AtomicInteger();
      CutoverPlan plan = new CutoverPlan(p.database, db.schema(), "fault", "_fault_new", "_fault_old", p.drain,
          p.binlog, Map.of(), session -> {
            try (var killer = db.connection(); var s = killer.createStatement()) {
              s.execute("KILL " + session);
              kills.incrementAndGet();
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          });
      new Cutover(CutoverStrategy.forFlavor(p.flavor), 100).run(plan);
      assertThat(kills.get()).isOne();
      Thread.sleep(300);
      writers.close();
      assertThat(writers.errors()).as("application errors").isEmpty();
      RowDiff.assertSameRows(db.queryRows("SELECT id, v FROM fault ORDER BY id"), writers.expectedRows());
    }
    assertThat(db.queryLong("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME = 'fault' AND COLUMN_NAME = 'note'")).isOne();
    assertThat(db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '%fault%'")).containsExactlyInAnyOrder(List.of("_fault_old"), List.of("fault"));
  }

  /**
   * Any failure after the rename was sent, not only a lost connection, is judged by the tables present: here the
   * attempt fails with an ordinary error once its rename has run. The run must report the swap, not "unchanged".
   */
  @ServerTest
  void aFailureAfterTheRenameIsResolvedFromTheTablesPresent(TestDatabase db) throws Exception {
    tableAndShadow(db, "late", 500, "ADD COLUMN note VARCHAR(10) DEFAULT 'new'");
    try (Pipeline p = new Pipeline(db, "late", "_late_new", Duration.ofSeconds(10))) {
      p.copy();
      CutoverPlan plan = new CutoverPlan(p.database, db.schema(), "late", "_late_new", "_late_old", p.drain,
          p.binlog, Map.of(), session -> {
            throw new IllegalStateException("injected: the attempt fails after its rename");
          });
      CutoverResult result = new Cutover(CutoverStrategy.forFlavor(p.flavor), 10).run(plan);
      assertThat(result.oldTable()).isEqualTo("_late_old");
    }
    assertThat(db.queryRows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME LIKE '%late%'")).containsExactlyInAnyOrder(List.of("_late_old"), List.of("late"));
    assertThat(db.queryLong("SELECT COUNT(*) FROM late WHERE note = 'new'")).isEqualTo(500);
  }
}
