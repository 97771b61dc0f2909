package dev.spirit.migration;

import dev.spirit.db.Database;
import dev.spirit.db.MetadataLockBlockers;
import dev.spirit.db.SqlErrors;
import dev.spirit.db.TableName;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.table.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries to let the server make the change without copying: {@code ALGORITHM=INSTANT}, then, for changes upstream
 * Spirit knows to be metadata-only, {@code ALGORITHM=INPLACE, LOCK=NONE}. Each attempt waits at most a few seconds
 * for its metadata lock, so a busy table is never stalled behind a queued ALTER.
 */
final class FastPath {
  private static final Logger LOG = LoggerFactory.getLogger(FastPath.class);
  static final int ATTEMPT_LOCK_WAIT_SECONDS = 3;

  enum Path {
    INSTANT, INPLACE, COPY;

    String describe() {
      return switch (this) {
        case INSTANT -> "ALGORITHM=INSTANT (metadata only, no copy)";
        case INPLACE -> "ALGORITHM=INPLACE, LOCK=NONE (no copy)";
        case COPY -> "shadow table copy";
      };
    }
  }

  private FastPath() {}

  /** The path that completed the change, or empty when it must be copied. */
  static Optional<Path> attempt(Database database, AlterTableStatement statement) throws SQLException {
    String table = Identifiers.quote(statement.schema(), statement.table());
    TableName name = new TableName(statement.schema(), statement.table());
    if (tryAlter(database, name, "ALTER TABLE " + table + " " + statement.alterText() + ", ALGORITHM=INSTANT")) {
      return Optional.of(Path.INSTANT);
    }
    if (statement.isInplaceSafe() && tryAlter(database, name, "ALTER TABLE " + table + " " + statement.alterText()
        + ", ALGORITHM=INPLACE, LOCK=NONE")) {
      return Optional.of(Path.INPLACE);
    }
    return Optional.empty();
  }

  /**
   * One attempt, and one more when its lock wait ended a blocking session but timed out all the same (the session
   * took its time to go, or another one queued behind it).
   */
  private static boolean tryAlter(Database database, TableName table, String sql) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      MetadataLockBlockers.Watch watch = database.blockers().watch(List.of(table),
          Duration.ofSeconds(ATTEMPT_LOCK_WAIT_SECONDS), "the " + sql.substring(sql.lastIndexOf("ALGORITHM="))
          + " attempt");
      SQLException failure;
      try (watch) {
        failure = tryOnce(database, sql);
      }
      if (failure == null) {
        return true;
      }
      if (attempt == 1 && failure.getErrorCode() == SqlErrors.LOCK_WAIT_TIMEOUT && watch.endedAny()) {
        continue;
      }
      SQLException explained = watch.explain(failure);
      LOG.debug("not applied directly ({} {}): {}", explained.getErrorCode(), explained.getMessage(), sql);
      if (explained != failure) {
        LOG.warn("{} was not applied directly: {}", sql, explained.getMessage());
      }
      return false;
    }
  }

  /** Null when the server applied the statement, else why not. */
  private static SQLException tryOnce(Database database, String sql) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      s.execute("SET SESSION lock_wait_timeout = " + ATTEMPT_LOCK_WAIT_SECONDS);
      try {
        s.execute(sql);
        return null;
      } catch (SQLException e) {
        if (SqlErrors.isConnectionLoss(e)) {
          throw new SpiritException(ErrorCode.OWNERSHIP_AMBIGUOUS, "the connection was lost while the server ran `"
              + sql + "`; it may have been applied. Check the table's definition before running again.", e);
        }
        return e;
      }
    }
  }

}
