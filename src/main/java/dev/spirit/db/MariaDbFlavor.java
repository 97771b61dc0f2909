package dev.spirit.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** MariaDB 10.6 and later. Its GTIDs ({@code domain-server-seq}) are always on. */
public record MariaDbFlavor(ServerVersion version) implements ServerFlavor {

  /**
   * The GTID position is read before the file position, so it never points past it: a subscription started from it
   * replays at most a few extra events, which applying full row images makes harmless, and never skips one.
   */
  @Override
  public BinlogPosition currentPosition(Connection connection) throws SQLException {
    String gtids;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
      rs.next();
      gtids = rs.getString(1);
    }
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      if (!rs.next()) {
        throw new SQLException("the server reports no binary log position: is log_bin enabled?");
      }
      return new BinlogPosition(rs.getString("File"), rs.getLong("Position"), gtids);
    }
  }

  @Override
  public boolean hasResourceGroups() {
    return false;
  }

  @Override
  public boolean renamesUnderTableLock() {
    return false;
  }

  @Override
  public String sharedLockNowait() {
    return "LOCK IN SHARE MODE NOWAIT";
  }

  @Override
  public boolean isNowaitConflict(SQLException e) {
    return e.getErrorCode() == 1205;
  }

  @Override
  public boolean gtidEnabled(BinlogSettings settings) {
    return true;
  }

  /**
   * {@code information_schema.METADATA_LOCK_INFO}, from the metadata_lock_info plugin that MariaDB ships but does not
   * load: its performance_schema is off by default and needs a restart. The plugin lists granted locks only, with the
   * session's processlist id; a table lock shows as MDL_SHARED_READ_ONLY or MDL_SHARED_NO_READ_WRITE.
   */
  @Override
  public String metadataLockHoldersQuery(int tables) {
    return "SELECT m.THREAD_ID, p.USER, p.HOST, p.INFO, TIMESTAMPDIFF(SECOND, trx.trx_started, NOW()), p.TIME,"
        + " m.LOCK_MODE, m.TABLE_NAME, COALESCE(trx.trx_weight, 0),"
        + " m.LOCK_MODE IN ('MDL_SHARED_NO_READ_WRITE', 'MDL_SHARED_READ_ONLY')"
        + " FROM information_schema.METADATA_LOCK_INFO m JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID"
        + " LEFT JOIN information_schema.INNODB_TRX trx ON trx.trx_mysql_thread_id = m.THREAD_ID"
        + " WHERE m.LOCK_TYPE = 'Table metadata lock' AND m.THREAD_ID <> CONNECTION_ID() AND m.TABLE_SCHEMA = ?"
        + " AND m.TABLE_NAME IN (" + String.join(", ", java.util.Collections.nCopies(tables, "?")) + ")";
  }

  /** Loads the plugin when it is not loaded and the user may ({@code INSERT} on {@code mysql.plugin}). */
  @Override
  public java.util.List<String> openMetadataLockView(Connection connection, boolean mayChange) throws SQLException {
    boolean loaded;
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM"
        + " information_schema.PLUGINS WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO' AND PLUGIN_STATUS = 'ACTIVE'")) {
      rs.next();
      loaded = rs.getLong(1) > 0;
    }
    if (!loaded && !mayChange) {
      return java.util.List.of("MariaDB's metadata_lock_info plugin is not loaded; the run loads it (INSTALL SONAME"
          + " 'metadata_lock_info', which needs INSERT ON mysql.plugin)");
    }
    if (!loaded) {
      try (Statement s = connection.createStatement()) {
        s.execute("INSTALL SONAME 'metadata_lock_info'");
        org.slf4j.LoggerFactory.getLogger(MariaDbFlavor.class).info("loaded MariaDB's metadata_lock_info plugin"
            + " (information_schema.METADATA_LOCK_INFO) to find sessions that block the run's table locks;"
            + " UNINSTALL SONAME 'metadata_lock_info' unloads it");
      } catch (SQLException e) {
        return java.util.List.of("MariaDB's metadata_lock_info plugin, which this user cannot load (" + e.getMessage()
            + "): an administrator runs INSTALL SONAME 'metadata_lock_info' once, or grants INSERT ON mysql.plugin");
      }
    }
    return MetadataLockBlockers.probe(connection, metadataLockHoldersQuery(1), "PROCESS ON *.*");
  }

  @Override
  public ReplicaThreads replicaThreads(Connection replica) throws SQLException {
    try (Statement s = replica.createStatement()) {
      return threads(s);
    }
  }

  /** The first replication connection's threads from {@code SHOW SLAVE STATUS}; null when there is none. */
  static ReplicaThreads threads(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
      if (!rs.next()) {
        return null;
      }
      String error = String.join(" ", rs.getString("Last_IO_Error"), rs.getString("Last_SQL_Error")).trim();
      return new ReplicaThreads(rs.getString("Slave_IO_Running"), rs.getString("Slave_SQL_Running"), error);
    }
  }

  /** {@code Seconds_Behind_Master}, 0 when the server shows none. */
  static long secondsBehind(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
      return rs.next() ? rs.getLong("Seconds_Behind_Master") : 0;
    }
  }

  @Override
  public ReplicaLag replicaLag(Database primary, Database replica) {
    return new MariaDbReplicaLag(primary, replica);
  }

  @Override
  public String replicaMonitorGrant() {
    return "GRANT REPLICA MONITOR ON *.* (SUPER before MariaDB 10.5.9)";
  }

  @Override
  public Boolean purgedBeyond(Connection connection, String gtidSet) {
    return null;
  }

  /**
   * MariaDB says which GTID position an offset of its binlog stands at ({@code BINLOG_GTID_POS}, which reads the file
   * up to it): an offset of this server's binlog stands where the checkpoint says it does.
   */
  @Override
  public String takenElsewhere(Connection connection, BinlogPosition position) throws SQLException {
    if (!ServerFlavor.binlogFiles(connection).contains(position.file())) {
      return null; // the file check says so
    }
    String here = gtidPositionAt(connection, position.file(), position.position());
    if (here == null) {
      return "no event of this server's " + position.file() + " starts at offset " + position.position()
          + ", so it was taken on another server";
    }
    MariaDbGtidPosition recorded = MariaDbGtidPosition.parse(position.gtidSet());
    MariaDbGtidPosition found = MariaDbGtidPosition.parse(here);
    return recorded.covers(found) && found.covers(recorded) ? null : "this server's binlog stands at GTID position "
        + (here.isEmpty() ? "(none)" : here) + " at " + position.file() + ":" + position.position() + ", not at the "
        + position.gtidSet() + " the checkpoint recorded there: it was taken on another server (or a transaction committed while it was read)";
  }

  /**
   * The newest file whose start the set covers is found first ({@code BINLOG_GTID_POS} at each file's start); in it
   * and after it, the start is the first transaction outside the set. MariaDB orders a domain's sequence numbers, so
   * a transaction numbered within the set ran before it; another domain's transactions of the set that follow are
   * read again (their keys re-read, which changes nothing; their DDL on the run's tables stops the run).
   */
  @Override
  public BinlogPosition locateGtidSet(Connection connection, String gtidSet) throws SQLException {
    MariaDbGtidPosition wanted = MariaDbGtidPosition.parse(gtidSet);
    String binlogged = ServerFlavor.queryValue(connection, "SELECT @@GLOBAL.gtid_binlog_pos");
    BinlogPosition end = currentPosition(connection);
    if (!MariaDbGtidPosition.parse(binlogged).covers(wanted)) {
      return null;
    }
    java.util.List<String> files = ServerFlavor.binlogFiles(connection);
    int first = -1;
    for (int i = files.size() - 1; i >= 0 && first < 0; i--) {
      String atStart = gtidPositionAt(connection, files.get(i), 4);
      if (atStart != null && wanted.covers(MariaDbGtidPosition.parse(atStart))) {
        first = i;
      }
    }
    if (first < 0) {
      return null;
    }
    for (int i = first; i < files.size(); i++) {
      BinlogPosition outside = firstTransactionOutside(connection, files.get(i), wanted,
          files.get(i).equals(end.file()) ? end.position() : Long.MAX_VALUE);
      if (outside != null) {
        return new BinlogPosition(outside.file(), outside.position(), gtidSet);
      }
      if (files.get(i).equals(end.file())) {
        break;
      }
    }
    return new BinlogPosition(end.file(), end.position(), gtidSet);
  }

  private static final java.util.regex.Pattern GTID_INFO = java.util.regex.Pattern.compile("GTID (\\d+-\\d+-\\d+)");
  private static final int EVENTS_PER_READ = 10_000;

  /** Where the first transaction of {@code file} that {@code set} does not hold starts, before {@code until}. */
  private static BinlogPosition firstTransactionOutside(Connection connection, String file, MariaDbGtidPosition set,
      long until) throws SQLException {
    long from = 4;
    while (from < until) {
      int rows = 0;
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN "
          + ServerFlavor.quotedLogName(file) + " FROM " + from + " LIMIT " + EVENTS_PER_READ)) {
        while (rs.next()) {
          rows++;
          long pos = rs.getLong("Pos");
          if (pos >= until) {
            return null;
          }
          from = rs.getLong("End_log_pos");
          java.util.regex.Matcher gtid = GTID_INFO.matcher(String.valueOf(rs.getString("Info")));
          if ("Gtid".equals(rs.getString("Event_type")) && gtid.find()
              && !set.covers(MariaDbGtidPosition.parse(gtid.group(1)))) {
            return new BinlogPosition(file, pos, null);
          }
        }
      }
      if (rows < EVENTS_PER_READ) {
        return null;
      }
    }
    return null;
  }

  private static String gtidPositionAt(Connection connection, String file, long offset) throws SQLException {
    return ServerFlavor.queryValue(connection, "SELECT BINLOG_GTID_POS(?, ?)", file, offset);
  }
}
