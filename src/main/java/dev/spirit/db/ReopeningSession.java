package dev.spirit.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A dedicated session that outlives its connection: used for hours or days by one periodic task (a heartbeat, a wait
 * loop), it is opened on first use and, when a call finds the connection lost (a failover, an idle limit of a proxy,
 * a killed session), closed so the next call opens a new one. For work that is safe to repeat on any session;
 * nothing that depends on session state (locks, transactions) may use it.
 */
public final class ReopeningSession implements AutoCloseable {
  /** Work on the session. */
  public interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  private final Database database;
  private Connection connection;

  public ReopeningSession(Database database) {
    this.database = database;
  }

  /** Runs {@code work}, opening the session first if needed; a lost connection is dropped and the error thrown. */
  public synchronized <T> T use(Work<T> work) throws SQLException {
    if (connection == null) {
      connection = database.connect();
    }
    try {
      return work.on(connection);
    } catch (SQLException e) {
      if (SqlErrors.isConnectionLoss(e)) {
        close();
      }
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it was lost already
      }
      connection = null;
    }
  }
}
