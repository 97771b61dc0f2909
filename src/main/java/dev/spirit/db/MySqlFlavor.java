package dev.spirit.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** MySQL 8.0 and later. */
public record MySqlFlavor(ServerVersion version) implements ServerFlavor {
  @Override
  public BinlogPosition currentPosition(Connection connection) throws SQLException {
    // 8.2 added SHOW BINARY LOG STATUS and 8.4 removed SHOW MASTER STATUS; the version decides, once.
    String sql = version.atLeast(8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return read(rs);
    }
  }

  private static BinlogPosition read(ResultSet rs) throws SQLException {
    if (!rs.next()) {
      throw new SQLException("the server reports no binary log position: is log_bin enabled?");
    }
    String gtids = rs.getString("Executed_Gtid_Set");
    return new BinlogPosition(rs.getString("File"), rs.getLong("Position"),
        gtids == null ? null : gtids.replace("\n", ""));
  }

  @Override
  public boolean hasResourceGroups() {
    return true;
  }

  @Override
  public boolean renamesUnderTableLock() {
    return version.atLeast(8, 0, 13);
  }

  @Override
  public String sharedLockNowait() {
    return "FOR SHARE NOWAIT";
  }

  @Override
  public boolean isNowaitConflict(SQLException e) {
    return e.getErrorCode() == 3572;
  }

  @Override
  public boolean gtidEnabled(BinlogSettings settings) {
    return BinlogSettings.isOn(settings.get("gtid_mode"));
  }

  /**
   * {@code performance_schema}, on by default in MySQL 8 with the metadata-lock instrument enabled. A table lock shows
   * as SHARED_READ_ONLY ({@code LOCK TABLES … READ}) or SHARED_NO_READ_WRITE ({@code … WRITE}); MySQL 8.0 reports its
   * duration as TRANSACTION, so the mode is what marks it explicit.
   */
  @Override
  public String metadataLockHoldersQuery(int tables) {
    return "SELECT t.PROCESSLIST_ID, t.PROCESSLIST_USER, t.PROCESSLIST_HOST, t.PROCESSLIST_INFO,"
        + " TIMESTAMPDIFF(SECOND, trx.trx_started, NOW()), t.PROCESSLIST_TIME, ml.LOCK_TYPE,"
        + " ml.OBJECT_NAME, COALESCE(trx.trx_weight, 0), ml.LOCK_TYPE IN ('SHARED_NO_READ_WRITE', 'SHARED_READ_ONLY')"
        + " FROM performance_schema.metadata_locks ml"
        + " JOIN performance_schema.threads t ON t.THREAD_ID = ml.OWNER_THREAD_ID"
        + " LEFT JOIN information_schema.INNODB_TRX trx ON trx.trx_mysql_thread_id = t.PROCESSLIST_ID"
        + " WHERE ml.OBJECT_TYPE = 'TABLE' AND ml.LOCK_STATUS = 'GRANTED' AND t.PROCESSLIST_ID IS NOT NULL"
        + " AND t.PROCESSLIST_ID <> CONNECTION_ID() AND ml.OBJECT_SCHEMA = ? AND ml.OBJECT_NAME IN ("
        + String.join(", ", java.util.Collections.nCopies(tables, "?")) + ")";
  }

  @Override
  public java.util.List<String> openMetadataLockView(Connection connection, boolean mayChange) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@GLOBAL.performance_schema")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return java.util.List.of("performance_schema is OFF (set performance_schema=ON; it takes a restart)");
      }
    }
    java.util.List<String> missing = new java.util.ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT ENABLED FROM"
        + " performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl'")) {
      if (rs.next() && !"YES".equalsIgnoreCase(rs.getString(1))) {
        missing.add("the metadata-lock instrument is disabled (UPDATE performance_schema.setup_instruments SET"
            + " ENABLED = 'YES' WHERE NAME = 'wait/lock/metadata/sql/mdl')");
      }
    } catch (SQLException e) {
      missing.add("SELECT ON performance_schema.* (" + e.getMessage() + ")");
      return missing;
    }
    missing.addAll(MetadataLockBlockers.probe(connection, metadataLockHoldersQuery(1),
        "SELECT ON performance_schema.* and PROCESS ON *.*"));
    return missing;
  }

  @Override
  public ReplicaThreads replicaThreads(Connection replica) throws SQLException {
    try (Statement s = replica.createStatement(); ResultSet rs = s.executeQuery("SHOW REPLICA STATUS")) {
      if (!rs.next()) {
        return null;
      }
      String error = String.join(" ", rs.getString("Last_IO_Error"), rs.getString("Last_SQL_Error")).trim();
      return new ReplicaThreads(rs.getString("Replica_IO_Running"), rs.getString("Replica_SQL_Running"), error);
    }
  }

  @Override
  public ReplicaLag replicaLag(Database primary, Database replica) {
    return new MySqlReplicaLag(replica);
  }

  @Override
  public String replicaMonitorGrant() {
    return "GRANT REPLICATION CLIENT ON *.* and GRANT SELECT ON performance_schema.*";
  }

  /**
   * A server's executed set holds its own transactions (every write it took with GTIDs on, a migration's own shadow
   * table and checkpoints among them), so a set read on this server names its UUID; one that does not was read on
   * another server (the address now reaches a promoted replica that never took a write, say). A server that has only
   * ever replicated (a move from a pure replica) is refused too, which costs a copy, never a change.
   */
  @Override
  public String takenElsewhere(Connection connection, BinlogPosition position) throws SQLException {
    String gtidSet = position.gtidSet();
    String uuid = globalVariable(connection, "server_uuid").toLowerCase(java.util.Locale.ROOT);
    return gtidSet.toLowerCase(java.util.Locale.ROOT).contains(uuid + ":") ? null : "its GTID set " + gtidSet
        + " holds no transaction of this server (server_uuid " + uuid + "), so it was taken on another server,"
        + " whose binlog offsets mean nothing here";
  }

  @Override
  public Boolean purgedBeyond(Connection connection, String gtidSet) throws SQLException {
    return "0".equals(ServerFlavor.queryValue(connection, "SELECT GTID_SUBSET(@@GLOBAL.gtid_purged, ?)", gtidSet));
  }

  @Override
  public BinlogPosition locateGtidSet(Connection connection, String gtidSet) throws SQLException {
    if (!subset(connection, gtidSet, globalVariable(connection, "gtid_executed"))
        || purgedBeyond(connection, gtidSet)) {
      return null;
    }
    java.util.List<String> files = ServerFlavor.binlogFiles(connection);
    for (int i = files.size() - 1; i >= 0; i--) {
      String preceding = previousGtids(connection, files.get(i));
      if (preceding != null && subset(connection, preceding, gtidSet)) {
        return new BinlogPosition(files.get(i), 4, gtidSet);
      }
    }
    return null;
  }

  /** The GTIDs of every transaction before {@code file} (its Previous_gtids event); null when it has none. */
  private static String previousGtids(Connection connection, String file) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN " + ServerFlavor.quotedLogName(file) + " LIMIT 3")) {
      while (rs.next()) {
        if ("Previous_gtids".equals(rs.getString("Event_type"))) {
          return rs.getString("Info");
        }
      }
    }
    return null;
  }

  private static String globalVariable(Connection connection, String name) throws SQLException {
    return ServerFlavor.queryValue(connection, "SELECT @@GLOBAL." + name);
  }

  private static boolean subset(Connection connection, String set, String of) throws SQLException {
    return "1".equals(ServerFlavor.queryValue(connection, "SELECT GTID_SUBSET(?, ?)", set, of));
  }
}
