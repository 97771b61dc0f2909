package dev.spirit.sentinel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code _spirit_sentinel} table of one schema: its name, the definition spirit creates, and what shape an
 * existing one has. Spirit creates it only with {@code CREATE TABLE IF NOT EXISTS}, so a waiting run never sees it
 * absent because another run is creating it, and never alters or drops a table it did not create.
 */
public final class SentinelTable {
  public static final String NAME = "_spirit_sentinel";
  public static final String COPYING = "copying";
  public static final String READY = "ready";
  public static final String STOPPED = "stopped";

  static final String CREATE = "CREATE TABLE IF NOT EXISTS " + NAME + " ("
      + "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
      + "owner VARCHAR(255) NOT NULL DEFAULT '', "
      + "status VARCHAR(32) NOT NULL DEFAULT 'copying', "
      + "updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), "
      + "host VARCHAR(255) NULL, "
      + "run_id CHAR(36) NULL, "
      + "reason VARCHAR(255) NULL, "
      + "UNIQUE KEY owner (owner))";

  /** What kind of sentinel a schema has. */
  public enum Shape {
    /** No sentinel: nothing blocks the cutover. */
    ABSENT,
    /** Existence only (upstream Spirit's {@code (id int PRIMARY KEY)}): readiness cannot be reported. */
    LEGACY,
    /** A {@code status} column but no {@code owner} (upstream PR #886): one shared row, {@code id = 1}. */
    SHARED_ROW,
    /** Spirit's own definition: one row per run, with a heartbeat. */
    PER_OWNER
  }

  private SentinelTable() {}

  /** Reads the sentinel's shape in the connection's current schema. */
  public static Shape shape(Connection c) throws SQLException {
    return shapeOf(columns(c));
  }

  /** The sentinel's columns in lower case; empty when there is no sentinel. */
  public static Set<String> columns(Connection c) throws SQLException {
    Set<String> columns = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    return columns;
  }

  static Shape shapeOf(Set<String> columns) {
    if (columns.isEmpty()) {
      return Shape.ABSENT;
    }
    if (!columns.contains("status")) {
      return Shape.LEGACY;
    }
    return columns.contains("owner") && columns.contains("updated_at") ? Shape.PER_OWNER : Shape.SHARED_ROW;
  }

  public static boolean exists(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  static boolean isMissingTable(SQLException e) {
    return e.getErrorCode() == 1146;
  }

  static boolean isMissingColumn(SQLException e) {
    return e.getErrorCode() == 1054;
  }
}
