package dev.spirit.db;

import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries idempotent statements that lost a deadlock (1213) or a row-lock wait (1205) to another session: both are
 * the normal cost of writing the new table while the copier and the applier work side by side, not failures.
 */
public final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  static final int ATTEMPTS = 5;

  /** A unit of work that may be run again from the start. */
  public interface SqlWork<T> {
    T run() throws SQLException;
  }

  private Retry() {}

  public static <T> T onLockConflict(String what, SqlWork<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException e) {
        boolean conflict = SqlErrors.isLockConflict(e);
        if (!conflict || attempt >= ATTEMPTS) {
          throw e;
        }
        LOG.debug("{}: {} (attempt {} of {}), retrying", what, e.getMessage(), attempt, ATTEMPTS);
        try {
          Thread.sleep(10L * attempt * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
