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
}
