package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The copy's CPU priority: on MySQL a resource group at thread priority 19 that the hinted statements really run in;
 * on MariaDB, and for a user who may not use the group, normal priority with the reason.
 */
class BackgroundPriorityIT {
  private static final String CURRENT_GROUP =
      "RESOURCE_GROUP FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID()";

  @ServerTest
  void mySqlRunsHintedStatementsInALowPriorityGroupAndMariaDbRunsThemNormally(TestDatabase db) throws Exception {
    try (Connection c = db.connection()) {
      ServerFlavor flavor = ServerFlavor.detect(c);
      BackgroundPriority priority = BackgroundPriority.detect(c, flavor);
      if (db.server().isMariaDb()) {
        assertThat(priority.lowered()).isFalse();
        assertThat(priority.hint()).isEmpty();
        assertThat(priority.description()).contains("has no resource groups");
        assertThat(priority.after("SELECT")).isEqualTo("SELECT ");
        return;
      }
      assertThat(priority.lowered()).as(priority.description()).isTrue();
      assertThat(priority.description()).contains(BackgroundPriority.GROUP).contains("thread priority 19");
      assertThat(db.queryString("SELECT CONCAT(RESOURCE_GROUP_TYPE, ' ', THREAD_PRIORITY) FROM"
          + " information_schema.RESOURCE_GROUPS WHERE RESOURCE_GROUP_NAME = '" + BackgroundPriority.GROUP + "'"))
          .isEqualTo("USER 19");
      try (Statement s = c.createStatement()) {
        assertThat(single(s, priority.after("SELECT") + CURRENT_GROUP)).isEqualTo(BackgroundPriority.GROUP);
        // Only for the statement: the session itself stays in the default group.
        assertThat(single(s, "SELECT " + CURRENT_GROUP)).isEqualTo("USR_default");
      }
      // A second run finds the group instead of creating it.
      assertThat(BackgroundPriority.detect(c, flavor)).isEqualTo(priority);
    }
  }

  @ServerTest
  void aUserWhoMayNotUseTheGroupGetsNormalPriorityAndTheReason(TestDatabase db) throws Exception {
    if (db.server().isMariaDb()) {
      return; // no resource groups at all: covered above
    }
    try (Connection c = db.connection()) {
      BackgroundPriority.detect(c, ServerFlavor.detect(c)); // the group exists from here on
    }
    db.execute("DROP USER IF EXISTS 'bg_plain'@'%'", "CREATE USER 'bg_plain'@'%' IDENTIFIED BY 'plain'",
        "GRANT SELECT ON `" + db.schema() + "`.* TO 'bg_plain'@'%'");
    try (Connection plain = DriverManager.getConnection(db.server().jdbcUrl(db.schema()), "bg_plain", "plain")) {
      BackgroundPriority priority = BackgroundPriority.detect(plain, ServerFlavor.detect(plain));
      assertThat(priority.lowered()).isFalse();
      // Without the privilege the group is not even visible, so creating it is what fails.
      assertThat(priority.description()).startsWith("normal priority (").contains("RESOURCE_GROUP_ADMIN");
    } finally {
      db.execute("DROP USER IF EXISTS 'bg_plain'@'%'");
    }
  }

  private static String single(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
