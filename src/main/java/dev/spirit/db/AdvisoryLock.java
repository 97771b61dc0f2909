package dev.spirit.db;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A server-side named lock ({@code GET_LOCK}) held on a connection of its own for a whole run, so that two runs on
 * the same table cannot overlap. The server releases it if the tool dies.
 */
public final class AdvisoryLock implements AutoCloseable {
  private final Connection connection;
  private final String name;

  private AdvisoryLock(Connection connection, String name) {
    this.connection = connection;
    this.name = name;
  }

  /** Lock names are limited to 64 characters; a long schema.table is shortened with a hash to stay unique. */
  public static String nameFor(String schema, String table) {
    String name = "spirit:" + schema + "." + table;
    if (name.length() <= 64) {
      return name;
    }
    return name.substring(0, 55) + "#" + Integer.toHexString(name.hashCode());
  }

  /**
   * Takes the lock without waiting.
   *
   * @throws SpiritException ALREADY_RUNNING, naming the session that holds it
   */
  public static AdvisoryLock acquire(Database database, String what, String name) throws SQLException {
    Connection c = database.connect();
    try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getInt(1) == 1) {
          return new AdvisoryLock(c, name);
        }
      }
      String holder = holder(c, name);
      c.close();
      throw new SpiritException(ErrorCode.ALREADY_RUNNING, "another spirit run on " + what + " is in progress ("
          + holder + "); only one may run at a time. Wait for it to finish, or stop it.");
    } catch (SQLException | RuntimeException e) {
      if (!c.isClosed()) {
        c.close();
      }
      throw e;
    }
  }

  private static String holder(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT p.ID, p.USER, p.HOST FROM information_schema.PROCESSLIST p"
        + " WHERE p.ID = IS_USED_LOCK(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return "held by connection " + rs.getLong(1) + ", " + rs.getString(2) + "@" + rs.getString(3);
        }
      }
    }
    return "held by a session this user cannot see";
  }

  @Override
  public void close() {
    try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
      ps.setString(1, name);
      ps.executeQuery().close();
    } catch (SQLException e) {
      // The connection's end releases it anyway.
    } finally {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // nothing more to release
      }
    }
  }
}
