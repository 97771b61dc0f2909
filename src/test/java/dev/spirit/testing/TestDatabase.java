package dev.spirit.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * One test class's own schema on one server: created fresh the first time the class asks for it in this run, so
 * test classes never see each other's tables.
 */
public final class TestDatabase {
  private final TestServer server;
  private final String schema;
  private final HikariDataSource dataSource;

  /** Drops and recreates the schema, then opens a pool on it. Public for the demo, which has its own schema. */
  public static TestDatabase create(TestServer server, String schema) throws SQLException {
    return create(server, schema, true);
  }

  /**
   * @param binlogged whether the schema's creation is written to the server's binlog; a replica's is not, since a
   *     replica that took writes of its own would not be a clean candidate for promotion
   */
  static TestDatabase create(TestServer server, String schema, boolean binlogged) throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(null), server.user(), server.password());
        Statement s = c.createStatement()) {
      if (!binlogged) {
        s.execute("SET SESSION sql_log_bin = 0");
      }
      s.execute("DROP DATABASE IF EXISTS `" + schema + "`");
      s.execute("CREATE DATABASE `" + schema + "`");
    }
    return new TestDatabase(server, schema);
  }

  private TestDatabase(TestServer server, String schema) {
    this.server = server;
    this.schema = schema;
    HikariConfig config = new HikariConfig();
    config.setPoolName("test-" + server.id() + "-" + schema);
    config.setJdbcUrl(server.jdbcUrl(schema));
    config.setUsername(server.user());
    config.setPassword(server.password());
    config.setMaximumPoolSize(16);
    config.setMinimumIdle(0);
    this.dataSource = new HikariDataSource(config);
  }

  /** The schema name for a test class: {@code it_<class name>}, lower case, at most 64 characters. */
  static String schemaFor(Class<?> testClass) {
    String name = "it_" + testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  public TestServer server() {
    return server;
  }

  public String schema() {
    return schema;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Closes the pooled connections (after a server restart they are dead); new ones are opened on demand. */
  public void dropPooledConnections() {
    dataSource.getHikariPoolMXBean().softEvictConnections();
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  public void execute(String... statements) throws SQLException {
    try (Connection c = connection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  public long queryLong(String sql) throws SQLException {
    try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("no row from: " + sql);
      }
      return rs.getLong(1);
    }
  }

  public String queryString(String sql) throws SQLException {
    try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("no row from: " + sql);
      }
      return rs.getString(1);
    }
  }

  /** Every row of the result, each column rendered with {@link ResultSet#getString}; for comparisons in tests. */
  public List<List<String>> queryRows(String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  void close() {
    dataSource.close();
  }
}
