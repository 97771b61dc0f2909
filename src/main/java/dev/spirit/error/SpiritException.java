package dev.spirit.error;

import java.sql.SQLException;

/**
 * The one root exception of the tool. Its message is what the operator reads: it names the table, the reason and the
 * fix. The {@link ErrorCode} decides the exit code.
 */
public class SpiritException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public SpiritException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public SpiritException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public ExitCode exitCode() {
    return code.exitCode();
  }

  /**
   * A failed SQL statement, reported in a fixed block: what we were doing, then SQL state, error code, the server's
   * message and the statement itself (the statement is the operator's own input or ours; it never holds passwords).
   */
  public static SpiritException sql(ErrorCode code, String doing, SQLException e, String statement) {
    return new SpiritException(code, formatSql(doing, e, statement), e);
  }

  /**
   * What a worker thread's failure means to the operator: a SpiritException as it is, a SQL failure in the SQL block
   * format, anything else an internal error. {@code doing} completes "… failed", e.g. "copying rows".
   */
  public static SpiritException of(Throwable t, String doing) {
    if (t instanceof SpiritException s) {
      return s;
    }
    if (t instanceof SQLException sql) {
      return sql(ErrorCode.SQL_FAILED, doing + " failed", sql, null);
    }
    return new SpiritException(ErrorCode.INTERNAL, doing + " failed: " + t, t);
  }

  public static String formatSql(String doing, SQLException e, String statement) {
    StringBuilder sb = new StringBuilder(doing);
    sb.append("\n  SQL State  : ").append(e.getSQLState());
    sb.append("\n  Error Code : ").append(e.getErrorCode());
    sb.append("\n  Message    : ").append(e.getMessage());
    if (statement != null) {
      sb.append("\n  Statement  : ").append(statement);
    }
    return sb.toString();
  }

  /** A statement quoted in a message: on one line and cut to 120 characters, so a long one cannot bury the reason. */
  public static String excerpt(String statement) {
    String one = statement.replaceAll("\\s+", " ").trim();
    return one.length() > 120 ? one.substring(0, 117) + "..." : one;
  }
}
