package dev.spirit.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spirit.testing.ServerTest;
import dev.spirit.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

/** Warnings are counted, not only listed: a session whose max_error_count hides them still has them found. */
class SqlWarningIT {

  @ServerTest
  void aHiddenWarningIsStillFound(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS narrow", "CREATE TABLE narrow (id INT PRIMARY KEY, v VARCHAR(2))");
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = '', max_error_count = 0");
      try {
        s.executeUpdate("INSERT INTO narrow VALUES (1, 'truncated')");
        List<SqlWarning> warnings = SqlWarning.fetch(c);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).code()).isEqualTo(SqlWarning.UNLISTED);
        s.executeUpdate("INSERT INTO narrow VALUES (2, 'ok')");
        assertThat(SqlWarning.fetch(c)).isEmpty();
      } finally {
        s.execute("SET SESSION max_error_count = DEFAULT, sql_mode = DEFAULT");
      }
    }
  }

  @ServerTest
  void everyWarningIsListedWhenTheSessionAllows(TestDatabase db) throws Exception {
    db.execute("DROP TABLE IF EXISTS narrow2", "CREATE TABLE narrow2 (id INT PRIMARY KEY, v VARCHAR(2))");
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = ''");
      try {
        s.executeUpdate("INSERT INTO narrow2 VALUES (1, 'abc'), (2, 'def')");
        List<SqlWarning> warnings = SqlWarning.fetch(c);
        assertThat(warnings).hasSize(2).allMatch(w -> w.code() == 1265);
      } finally {
        s.execute("SET SESSION sql_mode = DEFAULT");
      }
    }
  }
}
