package dev.spirit.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Whether a run's bulk statements (the copy's {@code INSERT … SELECT} and the checksum's reads) run at the server's
 * lowest CPU priority. On MySQL they carry the {@code RESOURCE_GROUP} optimizer hint for a user resource group with
 * {@code THREAD_PRIORITY = 19}: for the length of each statement the server lowers its thread's priority, so on a
 * busy server the application's statements get the CPU first and the copy takes what is left.
 *
 * <p>Only statements that hold nothing the application waits for get the hint. Anything run under a table lock (the
 * checksum's snapshot opening, the cutover) or that the cutover waits for (the change applier) keeps normal priority:
 * a lock holder that is starved of CPU would stall the application, the opposite of the point.
 *
 * <p>Best effort: the group is created once ({@code RESOURCE_GROUP_ADMIN}; resource group statements are local to
 * the server and never replicated) and then only used ({@code RESOURCE_GROUP_USER}). Anything that stops it (MariaDB,
 * a missing privilege, a server that cannot change thread priorities) leaves the run at normal priority, with the
 * reason in {@link #description}. The hint is verified on a probe first, because the server ignores an unusable
 * hint with a warning, and the copy stops on any warning.
 */
public record BackgroundPriority(String hint, String description) {
  public static final String GROUP = "spirit_background";
  static final int THREAD_PRIORITY = 19;
  private static final String HINT = "/*+ RESOURCE_GROUP(" + GROUP + ") */ ";
  private static final int GROUP_EXISTS = 3650;

  /** Normal priority: no hint. */
  public static BackgroundPriority normal(String reason) {
    return new BackgroundPriority("", "normal priority (" + reason + ")");
  }

  public boolean lowered() {
    return !hint.isEmpty();
  }

  /** The statement's first keyword followed by the hint, which must come right after it. */
  public String after(String keyword) {
    return keyword + " " + hint;
  }

  /** Finds, or creates, the resource group and checks that this user's statements can use it. */
  public static BackgroundPriority detect(Connection connection, ServerFlavor flavor) {
    if (!flavor.hasResourceGroups()) {
      return normal(flavor.version() + " has no resource groups");
    }
    try {
      Integer priority = groupPriority(connection);
      if (priority == null) {
        String created = create(connection);
        if (created != null) {
          return normal(created);
        }
        priority = groupPriority(connection);
      }
      if (priority == null || priority <= 0) {
        return normal("resource group " + GROUP + " has thread priority " + priority
            + "; the server cannot lower thread priorities without the CAP_SYS_NICE capability");
      }
      try (Statement s = connection.createStatement()) {
        s.executeQuery("SELECT " + HINT + "1").close();
      }
      List<SqlWarning> warnings = SqlWarning.fetch(connection);
      if (!warnings.isEmpty()) {
        return normal("the server ignores the resource group hint: " + warnings.get(0).message());
      }
      return new BackgroundPriority(HINT, "resource group " + GROUP + " (thread priority " + priority + ")");
    } catch (SQLException e) {
      return normal("resource group " + GROUP + " is not usable: " + e.getMessage());
    }
  }

  private static Integer groupPriority(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT THREAD_PRIORITY, RESOURCE_GROUP_ENABLED FROM"
            + " information_schema.RESOURCE_GROUPS WHERE RESOURCE_GROUP_NAME = '" + GROUP + "'")) {
      if (!rs.next()) {
        return null;
      }
      return rs.getInt(2) == 1 ? rs.getInt(1) : 0;
    }
  }

  /** Creates the group; null when it exists afterwards, else why it could not be created. */
  private static String create(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE RESOURCE GROUP " + GROUP + " TYPE = USER THREAD_PRIORITY = " + THREAD_PRIORITY);
      return null;
    } catch (SQLException e) {
      if (e.getErrorCode() == GROUP_EXISTS) {
        return null; // another run created it a moment ago
      }
      if (e.getErrorCode() == 1227) {
        return "creating resource group " + GROUP + " needs RESOURCE_GROUP_ADMIN; or create it once with CREATE"
            + " RESOURCE GROUP " + GROUP + " TYPE = USER THREAD_PRIORITY = " + THREAD_PRIORITY
            + " and grant RESOURCE_GROUP_USER";
      }
      return "could not create resource group " + GROUP + ": " + e.getMessage();
    }
  }
}
