package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * An application transaction has written {@code lk_b} and goes on to write {@code lk_a} while the run locks both.
 * One {@code LOCK TABLES lk_a READ, lk_b READ} takes {@code lk_a}, waits for {@code lk_b}, and the server's deadlock
 * detector fails the application's transaction. The run's locks must never do that.
 */
@Isolated // acts on the whole server (docs/testing.md)
class TableLockSessionsIT {

  private static void tables(TestDatabase db) throws SQLException {
    db.execute("DROP TABLE IF EXISTS lk_a", "DROP TABLE IF EXISTS lk_b",
        "CREATE TABLE lk_a (id INT PRIMARY KEY, v INT)", "CREATE TABLE lk_b (id INT PRIMARY KEY, v INT)",
        "INSERT INTO lk_a VALUES (1, 0)", "INSERT INTO lk_b VALUES (1, 0)");
  }

  private static Database database(TestDatabase db) {
    return new Database(db.server().jdbcUrl(db.schema()), db.server().user(), db.server().password(),
        Duration.ofSeconds(10));
  }

  /**
   * Runs the application's transaction against {@code lock}, which must be waiting for {@code lk_b} when the
   * transaction goes on to {@code lk_a}; returns the transaction's error, or null.
   */
  private static SQLException transactionAgainst(TestDatabase db, CheckedRunnable lock) throws Exception {
    try (Connection app = db.connection(); Statement s = app.createStatement()) {
      app.setAutoCommit(false);
      s.executeUpdate("UPDATE " + db.schema() + ".lk_b SET v = v + 1 WHERE id = 1");
      CompletableFuture<Void> locking = CompletableFuture.runAsync(() -> {
        try {
          lock.run();
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      awaitWaitingForMetadataLock(db);
      SQLException error = null;
      try {
        s.executeUpdate("UPDATE " + db.schema() + ".lk_a SET v = v + 1 WHERE id = 1");
        app.commit();
      } catch (SQLException e) {
        error = e;
        app.rollback();
      }
      locking.get(30, TimeUnit.SECONDS);
      return error;
    }
  }

  private static void awaitWaitingForMetadataLock(TestDatabase db) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (db.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = 'Waiting for table"
        + " metadata lock' AND INFO LIKE 'LOCK TABLES%'") == 0) {
      assertThat(System.nanoTime()).as("a LOCK TABLES waiting for lk_b").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @FunctionalInterface
  private interface CheckedRunnable {
    void run() throws Exception;
  }

  @ServerTest
  void oneLockTablesOfBothLosesTheDeadlockToTheApplication(TestDatabase db) throws Exception {
    tables(db);
    try (Connection lock = db.connection(); Statement s = lock.createStatement()) {
      SQLException error = transactionAgainst(db, () -> {
        s.execute("LOCK TABLES " + db.schema() + ".lk_a READ, " + db.schema() + ".lk_b READ");
        s.execute("UNLOCK TABLES");
      });
      assertThat((Throwable) error).as("the application's transaction").isNotNull();
      assertThat(error.getErrorCode()).isEqualTo(1213);
    }
  }

  @ServerTest
  void lockSessionsLetTheApplicationsTransactionFinishAndThenHoldBoth(TestDatabase db) throws Exception {
    tables(db);
    try (TableLockSessions locks = new TableLockSessions(database(db), List.of(
        new TableName(db.schema(), "lk_a"), new TableName(db.schema(), "lk_b")))) {
      SQLException error = transactionAgainst(db, () -> locks.lockAll(Duration.ofSeconds(10), "the test's lock"));
      assertThat((Throwable) error).as("the application's transaction").isNull();
      try (Connection writer = db.connection(); Statement s = writer.createStatement()) {
        s.execute("SET SESSION lock_wait_timeout = 1");
        for (String table : List.of("lk_a", "lk_b")) {
          org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.executeUpdate("UPDATE " + table
              + " SET v = 0")).as("a write to " + table + " while both are locked").isInstanceOf(SQLException.class)
              .hasMessageContaining("Lock wait timeout");
        }
      } finally {
        locks.unlockAll();
      }
    }
    assertThat(db.queryLong("SELECT v FROM lk_a")).isOne();
    assertThat(db.queryLong("SELECT v FROM lk_b")).isOne();
  }
}
