package dev.spirit.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Replication between two test servers of one flavour, and what tests do to it. */
public final class Replication {
  private Replication() {}

  private static Connection connect(TestServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(null), server.user(), server.password());
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Makes {@code replica} replicate {@code primary}'s schema from the primary's current position. */
  static void start(TestDatabase primary, TestServer replica) throws SQLException {
    TestServer source = primary.server();
    try (Connection p = connect(source); Statement ps = p.createStatement();
        Connection r = connect(replica); Statement rs = r.createStatement()) {
      String schema = primary.schema();
      if (source.isMariaDb()) {
        String position = single(ps, "SELECT @@GLOBAL.gtid_binlog_pos");
        rs.execute("STOP SLAVE");
        rs.execute("RESET SLAVE ALL");
        rs.execute("SET GLOBAL gtid_slave_pos = '" + position + "'");
        rs.execute("SET GLOBAL replicate_do_db = '" + schema + "'");
        rs.execute("CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + source.port() + ", MASTER_USER = '"
            + source.user() + "', MASTER_PASSWORD = '" + source.password() + "', MASTER_USE_GTID = slave_pos");
        rs.execute("START SLAVE");
      } else {
        String executed = single(ps, "SELECT @@GLOBAL.gtid_executed").replace("\n", "");
        rs.execute("STOP REPLICA");
        rs.execute("RESET REPLICA ALL");
        rs.execute("RESET MASTER");
        rs.execute("SET GLOBAL gtid_purged = '" + executed + "'");
        rs.execute("CHANGE REPLICATION FILTER REPLICATE_DO_DB = (`" + schema + "`)");
        rs.execute("CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = " + source.port()
            + ", SOURCE_USER = '" + source.user() + "', SOURCE_PASSWORD = '" + source.password() + "',"
            + " SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1");
        rs.execute("START REPLICA");
      }
    }
    awaitThreads(replica, "Yes", Duration.ofSeconds(30));
  }

  /** Stops or starts the replica's SQL (applier) thread. */
  public static void sqlThread(TestDatabase replica, boolean running) throws SQLException {
    boolean mariaDb = replica.server().isMariaDb();
    replica.execute((running ? "START " : "STOP ") + (mariaDb ? "SLAVE" : "REPLICA") + " SQL_THREAD");
  }

  /** Waits until both replication threads report {@code state}. */
  public static void awaitThreads(TestServer replica, String state, Duration timeout) throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try (Connection r = connect(replica); Statement s = r.createStatement();
          ResultSet rs = s.executeQuery(replica.isMariaDb() ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS")) {
        if (rs.next()) {
          String io = rs.getString(replica.isMariaDb() ? "Slave_IO_Running" : "Replica_IO_Running");
          String sql = rs.getString(replica.isMariaDb() ? "Slave_SQL_Running" : "Replica_SQL_Running");
          last = io + "/" + sql + " " + rs.getString("Last_IO_Error") + " " + rs.getString("Last_SQL_Error");
          if (state.equals(io) && state.equals(sql)) {
            return;
          }
        }
      }
      sleep(100);
    }
    throw new IllegalStateException(replica.id() + ": replication threads not " + state + " within " + timeout
        + ": " + last);
  }

  /** Waits until the replica has applied everything the primary has written so far. */
  public static void awaitCaughtUp(TestDatabase primary, TestDatabase replica, Duration timeout) throws SQLException {
    boolean mariaDb = primary.server().isMariaDb();
    String target = primary.queryString(mariaDb ? "SELECT @@GLOBAL.gtid_binlog_pos" : "SELECT @@GLOBAL.gtid_executed")
        .replace("\n", "");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean caughtUp = mariaDb
          ? replica.queryLong("SELECT MASTER_GTID_WAIT('" + target + "', 0.5)") == 0
          : replica.queryLong("SELECT WAIT_FOR_EXECUTED_GTID_SET('" + target + "', 0.5)") == 0;
      if (caughtUp) {
        return;
      }
    }
    throw new IllegalStateException(replica.server().id() + " did not catch up with " + target + " in " + timeout);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
