package dev.spirit.table;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the tool knows about one table: its columns, primary key, indexes and size estimate, read from
 * information_schema, and its schema and name as the server stores them. Immutable: re-read it to see a change.
 */
public record TableInfo(String schema, String name, List<Column> columns, List<IndexInfo> indexes,
    long estimatedRows) {

  public TableInfo {
    columns = List.copyOf(columns);
    indexes = List.copyOf(indexes);
  }

  public String quotedName() {
    return Identifiers.quote(schema, name);
  }

  public Optional<Column> column(String columnName) {
    return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
  }

  /** The primary key's columns in key order; empty when the table has none. */
  public List<Column> primaryKey() {
    return indexes.stream().filter(IndexInfo::isPrimary).findFirst()
        .map(pk -> pk.columns().stream().map(n -> column(n).orElseThrow()).toList())
        .orElse(List.of());
  }

  public boolean hasIntegerPrimaryKey() {
    List<Column> pk = primaryKey();
    return !pk.isEmpty() && pk.stream().allMatch(Column::isInteger);
  }

  /** Columns whose values are stored, not computed: the ones a copy moves. */
  public List<Column> storedColumns() {
    return columns.stream().filter(c -> !c.generated()).toList();
  }

  /** Whether {@code schema.table} exists (information_schema, so no metadata lock is taken on it). */
  public static boolean exists(Connection c, String schema, String table) throws SQLException {
    return lookUp(c, schema, table, false) != null;
  }

  /** The server's average row length estimate for the table, or 128 bytes when it has none (an empty table). */
  public static long averageRowLength(javax.sql.DataSource pool, TableInfo table) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT AVG_ROW_LENGTH FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        long length = rs.next() ? rs.getLong(1) : 0;
        return length > 0 ? length : 128;
      }
    }
  }

  /**
   * Reads a table's description.
   *
   * @throws SpiritException SCHEMA_NOT_FOUND or TABLE_NOT_FOUND, naming what is missing
   */
  public static TableInfo load(Connection connection, String schema, String table) throws SQLException {
    String[] stored = storedName(connection, schema, table);
    List<Column> columns = stored == null ? List.of() : loadColumns(connection, stored[0], stored[1]);
    if (columns.isEmpty()) {
      if (!schemaExists(connection, schema)) {
        throw new SpiritException(ErrorCode.SCHEMA_NOT_FOUND, "schema `" + schema + "` does not exist on this"
            + " server; check --database");
      }
      throw new SpiritException(ErrorCode.TABLE_NOT_FOUND, "table " + Identifiers.quote(schema, table)
          + " does not exist; check the table name in --statement and --database");
    }
    return new TableInfo(stored[0], stored[1], columns, loadIndexes(connection, stored[0], stored[1]),
        estimateRows(connection, stored[0], stored[1]));
  }

  /**
   * The schema and table name as the server stores them, for the names as the operator wrote them; null when no
   * base table of that name exists. The server's own lookup decides, and of what it returns only a name that
   * {@link NameCase} accepts counts, so that a lookup that ignores case never picks a neighbour on a server that
   * does not.
   */
  static String[] storedName(Connection c, String schema, String table) throws SQLException {
    return lookUp(c, schema, table, true);
  }

  private static String[] lookUp(Connection c, String schema, String table, boolean baseTablesOnly)
      throws SQLException {
    NameCase rule = NameCase.of(c);
    try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?" + (baseTablesOnly ? " AND TABLE_TYPE = 'BASE TABLE'" : ""))) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rule.same(rs.getString(1), schema) && rule.same(rs.getString(2), table)) {
            return new String[] {rs.getString(1), rs.getString(2)};
          }
        }
      }
    }
    return null;
  }

  private static List<Column> loadColumns(Connection c, String schema, String table) throws SQLException {
    String sql = "SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA,"
        + " CHARACTER_SET_NAME, COLLATION_NAME, TABLE_SCHEMA, TABLE_NAME FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!isStored(rs, schema, table)) {
            continue;
          }
          String extra = rs.getString("EXTRA") == null ? "" : rs.getString("EXTRA").toUpperCase(Locale.ROOT);
          boolean generated = extra.contains("VIRTUAL GENERATED") || extra.contains("STORED GENERATED")
              || extra.contains("PERSISTENT GENERATED") || extra.equals("VIRTUAL") || extra.equals("PERSISTENT");
          columns.add(new Column(rs.getString("COLUMN_NAME"), rs.getInt("ORDINAL_POSITION"),
              rs.getString("DATA_TYPE"), rs.getString("COLUMN_TYPE"), "YES".equals(rs.getString("IS_NULLABLE")),
              generated, rs.getString("CHARACTER_SET_NAME"), rs.getString("COLLATION_NAME")));
        }
      }
    }
    return columns;
  }

  private static List<IndexInfo> loadIndexes(Connection c, String schema, String table) throws SQLException {
    String sql = "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, TABLE_SCHEMA, TABLE_NAME"
        + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
        + " ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX";
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Map<String, Boolean> unique = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!isStored(rs, schema, table)) {
            continue;
          }
          String index = rs.getString("INDEX_NAME");
          columns.computeIfAbsent(index, k -> new ArrayList<>());
          // A functional key part has no column name; it still counts for uniqueness.
          String column = rs.getString("COLUMN_NAME");
          columns.get(index).add(column == null ? "(expression)" : column);
          unique.put(index, rs.getInt("NON_UNIQUE") == 0);
        }
      }
    }
    List<IndexInfo> indexes = new ArrayList<>();
    columns.forEach((index, cols) -> indexes.add(new IndexInfo(index, unique.get(index), cols)));
    return indexes;
  }

  /** Whether a row of an information_schema lookup by stored name is that table's, not a neighbour's in case only. */
  private static boolean isStored(ResultSet rs, String schema, String table) throws SQLException {
    return schema.equals(rs.getString("TABLE_SCHEMA")) && table.equals(rs.getString("TABLE_NAME"));
  }

  /**
   * The optimizer's row estimate, which InnoDB keeps current, unlike information_schema.TABLES on MySQL 8 where it is
   * cached for a day. Used for progress only.
   */
  private static long estimateRows(Connection c, String schema, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN SELECT * FROM " + Identifiers.quote(schema, table))) {
      return rs.next() ? Math.max(0, rs.getLong("rows")) : 0;
    }
  }

  /**
   * The table's next AUTO_INCREMENT value, read fresh (MySQL 8 otherwise serves information_schema statistics cached
   * for up to a day); 0 when the table has none.
   */
  public static long autoIncrement(Connection c, String schema, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION information_schema_stats_expiry = 0");
    } catch (SQLException mariaDbReadsItLive) {
      // MariaDB has no such cache.
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT AUTO_INCREMENT FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static boolean schemaExists(Connection c, String schema) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
