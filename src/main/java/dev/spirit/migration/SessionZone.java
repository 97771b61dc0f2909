package dev.spirit.migration;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.statement.AlterClause;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.statement.ClauseKind;
import dev.spirit.table.Column;
import dev.spirit.table.ColumnMapping;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;

/**
 * Which time zone the run's sessions use. UTC by default: every TIMESTAMP is then a literal that names exactly one
 * instant, which keys, chunk bounds and checksums rely on. But a change between DATETIME and TIMESTAMP converts each
 * value through the session's zone, and must convert it as the server's own ALTER would in a session with the server's
 * defaults; such a run uses the server's zone. There, a zone with daylight saving repeats an hour each autumn, whose
 * TIMESTAMP values no literal can tell apart, so a TIMESTAMP primary key is refused in that case.
 */
final class SessionZone {
  private static final Set<String> TEMPORAL = Set.of("datetime", "timestamp");

  private SessionZone() {}

  /** Whether the ALTER changes a column between DATETIME and TIMESTAMP, in either direction. */
  static boolean convertsTimestamps(AlterTableStatement statement, TableInfo source) {
    for (AlterClause c : statement.clauses()) {
      if (c.kind() != ClauseKind.MODIFY_COLUMN && c.kind() != ClauseKind.CHANGE_COLUMN) {
        continue;
      }
      String from = source.column(c.kind() == ClauseKind.CHANGE_COLUMN ? c.oldName() : c.name())
          .map(Column::dataType).orElse("");
      String to = c.column().type().name().toLowerCase(Locale.ROOT);
      if (convertsBetween(from, to)) {
        return true;
      }
    }
    return false;
  }

  /** Refuses a TIMESTAMP primary key when the server's zone (this session's) repeats an hour. */
  static void checkKeysExact(Connection serverZoneSession, TableInfo source) throws SQLException {
    boolean timestampKey = source.primaryKey().stream().anyMatch(c -> c.dataType().equals("timestamp"));
    if (!timestampKey) {
      return;
    }
    try (Statement s = serverZoneSession.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@session.time_zone, UNIX_TIMESTAMP('2021-07-15 12:00:00')"
            + " - UNIX_TIMESTAMP('2021-01-15 12:00:00')")) {
      rs.next();
      long halfYear = 181L * 86_400;
      if (rs.getLong(2) != halfYear) {
        throw Preflight.refuse(ErrorCode.UNSUPPORTED_TABLE, "table " + source.quotedName() + " has a TIMESTAMP"
            + " column in its primary key, and the ALTER converts between DATETIME and TIMESTAMP, which spirit does"
            + " in the server's time_zone (" + rs.getString(1) + ", as a native ALTER would); that zone has daylight"
            + " saving, so the TIMESTAMP values of the hour that repeats each autumn cannot be named exactly. Set"
            + " the server's time_zone to UTC or a fixed offset for the run, or make the two changes separately.");
      }
    }
  }

  /**
   * After the shadow exists, the mapping is the truth: a conversion the statement's reading missed would be made in
   * the wrong zone, so it stops the run before any row is copied.
   */
  static void verify(ColumnMapping mapping, boolean utcSessions) {
    if (!utcSessions) {
      return;
    }
    for (ColumnMapping.Pair p : mapping.pairs()) {
      String from = p.source().dataType();
      String to = p.target().dataType();
      if (convertsBetween(from, to)) {
        throw new SpiritException(ErrorCode.UNSUPPORTED_STATEMENT, "refusing to migrate: column `"
            + p.source().name() + "` changes from " + from + " to " + to + " in a way spirit did not read from the"
            + " statement; nothing was copied. Write the change as MODIFY COLUMN or CHANGE COLUMN.");
      }
    }
  }

  private static boolean convertsBetween(String fromType, String toType) {
    return TEMPORAL.contains(fromType) && TEMPORAL.contains(toType) && !fromType.equals(toType);
  }
}
