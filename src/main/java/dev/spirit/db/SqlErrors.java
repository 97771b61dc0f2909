package dev.spirit.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Classification of server and driver errors that decides what the tool may safely do next. */
public final class SqlErrors {
  private SqlErrors() {}

  /**
   * Whether the connection was lost, so a statement sent on it may or may not have run: the caller must find out from
   * the server's state, never assume either way.
   */
  public static boolean isConnectionLoss(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException
        || (state != null && state.startsWith("08"))
        || e.getErrorCode() == 2013 || e.getErrorCode() == 2006;
  }

  /** A lock wait, of a row lock or a metadata lock, that ran out of time. */
  public static final int LOCK_WAIT_TIMEOUT = 1205;

  /** Whether another session won the row lock: a lost deadlock (1213) or a row-lock wait timeout (1205). */
  public static boolean isLockConflict(SQLException e) {
    return e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
  }
}
