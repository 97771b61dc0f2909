package dev.spirit.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything that differs between MySQL and MariaDB, behind one interface so that the engine never asks "which
 * server is this?" itself. Chosen by {@link #detect}, from {@code SELECT VERSION()}.
 */
public sealed interface ServerFlavor permits MySqlFlavor, MariaDbFlavor {

  ServerVersion version();

  /** The binlog coordinates the server is writing now. */
  BinlogPosition currentPosition(Connection connection) throws SQLException;

  /**
   * Whether {@code RENAME TABLE} may run in a session that holds {@code LOCK TABLES} (MySQL 8.0.13+). MariaDB refuses
   * it with error 1192, so its cutover needs a second connection.
   */
  boolean renamesUnderTableLock();

  /**
   * Whether the server has resource groups and the {@code RESOURCE_GROUP} optimizer hint (MySQL 8.0): the way to run
   * the bulk work at a lower CPU priority than the application. MariaDB has neither.
   */
  boolean hasResourceGroups();

  /**
   * The locking clause for a shared-lock read that fails at once instead of waiting: {@code FOR SHARE NOWAIT} on
   * MySQL, {@code LOCK IN SHARE MODE NOWAIT} on MariaDB.
   */
  String sharedLockNowait();

  /** Whether an error is a NOWAIT locking read meeting a lock (MySQL 3572, MariaDB 1205). */
  boolean isNowaitConflict(java.sql.SQLException e);

  /** Whether the binlog identifies transactions by GTID, so a subscription can start from a GTID set. */
  boolean gtidEnabled(BinlogSettings settings);

  /**
   * A query for the other sessions holding a granted metadata lock on some tables of one schema. Parameters: the
   * schema, then {@code tables} table names. Columns, in order: the session's id, user, host, the statement it runs
   * (null when idle), how many seconds its transaction has been open (null without one), how long it has been in
   * its current state, the lock's mode, the table, the transaction's weight (rows it changed or locked; 0 without a transaction), and whether
   * the lock comes from an explicit {@code LOCK TABLES}.
   */
  String metadataLockHoldersQuery(int tables);

  /**
   * Makes the server's list of metadata locks readable where it can be turned on without a restart, and says what
   * still keeps this user from reading it.
   *
   * @param mayChange whether it may turn on what is off (a dry run may not: it reports what the run would turn on)
   * @return what is missing, each with its fix; empty when {@link #metadataLockHoldersQuery} can be run
   */
  java.util.List<String> openMetadataLockView(Connection connection, boolean mayChange) throws SQLException;

  /**
   * A replica's replication threads, read on the replica; null when it is not replicating from anywhere.
   */
  ReplicaThreads replicaThreads(Connection replica) throws SQLException;

  /** How to measure a replica's lag behind {@code primary}, both of this flavour. */
  ReplicaLag replicaLag(Database primary, Database replica);

  /** What a user needs on a replica to read its threads and its lag, as a grant. */
  String replicaMonitorGrant();

  /**
   * Whether the server has purged a transaction that is not in {@code gtidSet}, so a subscription from that set cannot
   * be served; null when the server cannot tell (MariaDB keeps no purged set: the binlog files tell instead).
   */
  Boolean purgedBeyond(Connection connection, String gtidSet) throws SQLException;

  /**
   * Why {@code position}, read from a checkpoint with its GTID set, was taken on another server than this one, or null
   * when nothing says so. A subscription resumes at the checkpoint's file and offset, which mean nothing in another
   * server's binlog.
   */
  String takenElsewhere(Connection connection, BinlogPosition position) throws SQLException;

  /**
   * Where in this server's binlog a subscription must start to read every transaction outside {@code gtidSet}: the
   * start of the newest binlog file whose preceding transactions all lie in the set (transactions of the set that
   * follow are read again, which a reader of changed keys can afford). Null when the server cannot serve the set: it
   * lacks one of its transactions (a failover that lost some), has purged one outside it, or keeps no GTIDs.
   */
  BinlogPosition locateGtidSet(Connection connection, String gtidSet) throws SQLException;

  /** The one value a query with these parameters returns, as a string (null for SQL NULL). */
  static String queryValue(Connection connection, String sql, Object... parameters) throws SQLException {
    try (java.sql.PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** A binlog file's name as a string literal, for {@code SHOW BINLOG EVENTS IN}, which takes no parameter. */
  static String quotedLogName(String file) {
    return "'" + file.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /** The binlog files the server has, oldest first. */
  static java.util.List<String> binlogFiles(Connection connection) throws SQLException {
    java.util.List<String> files = new java.util.ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        files.add(rs.getString(1));
      }
    }
    return files;
  }

  static ServerFlavor detect(Connection connection) throws SQLException {
    ServerVersion version;
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      version = ServerVersion.parse(rs.getString(1));
    }
    return version.mariaDb() ? new MariaDbFlavor(version) : new MySqlFlavor(version);
  }

  /** Reads the binlog-related global variables; those the server lacks are simply absent. */
  default BinlogSettings binlogSettings(Connection connection) throws SQLException {
    String names = BinlogSettings.VARIABLES.stream().map(v -> "'" + v + "'").collect(Collectors.joining(","));
    Map<String, String> values = new HashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN (" + names + ")")) {
      while (rs.next()) {
        values.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2));
      }
    }
    return new BinlogSettings(values);
  }
}
