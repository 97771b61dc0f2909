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
}
