package dev.spirit.sentinel;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The SQL of one run's row in {@code _spirit_sentinel}. Only owner, status and updated_at are required: a sentinel
 * made by an operator may lack the informational columns (host, run_id, reason), and spirit never alters a table it
 * did not create, so each statement uses only the columns the table has.
 */
final class SentinelRows {
  private final String owner;
  private final String runId;

  SentinelRows(String owner, String runId) {
    this.owner = owner;
    this.runId = runId;
  }

  String owner() {
    return owner;
  }

  boolean exists(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + SentinelTable.NAME + " WHERE owner = ?")) {
      ps.setString(1, owner);
      return ps.executeQuery().next();
    }
  }

  /** Inserts or resets this run's row with {@code status}. */
  void upsert(Connection c, Set<String> columns, String status) throws SQLException {
    List<String> names = new ArrayList<>(List.of("owner", "status"));
    List<String> values = new ArrayList<>(List.of(owner, status));
    if (columns.contains("host")) {
      names.add("host");
      values.add(host());
    }
    if (columns.contains("run_id")) {
      names.add("run_id");
      values.add(runId);
    }
    StringBuilder update = new StringBuilder("status = VALUES(status), updated_at = NOW(6)");
    for (String optional : List.of("host", "run_id")) {
      if (names.contains(optional)) {
        update.append(", ").append(optional).append(" = VALUES(").append(optional).append(')');
      }
    }
    if (columns.contains("reason")) {
      update.append(", reason = NULL");
    }
    String sql = "INSERT INTO " + SentinelTable.NAME + " (" + String.join(", ", names) + ", updated_at) VALUES ("
        + "?, ".repeat(names.size()) + "NOW(6)) ON DUPLICATE KEY UPDATE " + update;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        ps.setString(i + 1, values.get(i));
      }
      ps.executeUpdate();
    }
  }

  /** The heartbeat: 0 when the row is gone (a release). */
  int touch(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + SentinelTable.NAME
        + " SET updated_at = NOW(6) WHERE owner = ?")) {
      ps.setString(1, owner);
      return ps.executeUpdate();
    }
  }

  /** Marks the row ready; 0 when it is gone. */
  int markReady(Connection c, Set<String> columns) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + SentinelTable.NAME
        + " SET status = 'ready', updated_at = NOW(6)" + (columns.contains("reason") ? ", reason = NULL" : "")
        + " WHERE owner = ?")) {
      ps.setString(1, owner);
      return ps.executeUpdate();
    }
  }

  /** The single row of a sentinel without owners (upstream's shape): {@code id = 1}. */
  static void sharedRow(Connection c, String status) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + SentinelTable.NAME + " (id, status) VALUES (1, '" + status + "')"
          + " ON DUPLICATE KEY UPDATE status = '" + status + "'");
    }
  }

  void markStopped(Connection c, Set<String> columns, String reason) throws SQLException {
    boolean withReason = columns.contains("reason");
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + SentinelTable.NAME + " SET status = 'stopped'"
        + (withReason ? ", reason = ?" : "") + ", updated_at = NOW(6) WHERE owner = ?")) {
      ps.setQueryTimeout(5);
      int index = 1;
      if (withReason) {
        ps.setString(index++, reason.length() > 255 ? reason.substring(0, 255) : reason);
      }
      ps.setString(index, owner);
      ps.executeUpdate();
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
    } catch (java.io.IOException e) {
      return "pid " + ProcessHandle.current().pid();
    }
  }
}
