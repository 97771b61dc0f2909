package dev.spirit.move;

import dev.spirit.table.Identifiers;
import dev.spirit.table.TableDefinition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of a move on the target: created from the source's own {@code SHOW CREATE TABLE}, optionally without
 * their secondary indexes (added back after the copy as one sorted build per table), and compared with the source's
 * when they already exist.
 */
final class TargetTables {
  private TargetTables() {}

  /** A source table's definition as the server prints it, split into its create statement's parts. */
  record Definition(String head, List<String> elements, String tail) {

    /** Parses {@code SHOW CREATE TABLE} output: a head line, one element per line, and the closing options. */
    static Definition parse(String createTable) {
      List<String> lines = List.of(createTable.split("\n"));
      List<String> elements = new ArrayList<>();
      for (int i = 1; i < lines.size() - 1; i++) {
        String line = lines.get(i).trim();
        elements.add(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
      }
      return new Definition(lines.get(0), elements, lines.get(lines.size() - 1));
    }

    /** Plain secondary indexes: not the primary key, not UNIQUE, FULLTEXT or SPATIAL ones. */
    List<String> secondaryIndexes() {
      return elements.stream().filter(Definition::isSecondaryIndex).toList();
    }

    static boolean isSecondaryIndex(String element) {
      return element.startsWith("KEY ") || element.startsWith("INDEX ");
    }

    String render(boolean withSecondaryIndexes) {
      List<String> kept = elements.stream().filter(e -> withSecondaryIndexes || !isSecondaryIndex(e)).toList();
      return head + "\n  " + String.join(",\n  ", kept) + "\n" + tail;
    }
  }

  /** Creates the table in the target connection's default schema, from the source's definition. */
  static void create(Connection target, Definition definition, boolean withSecondaryIndexes) throws SQLException {
    try (Statement s = target.createStatement()) {
      s.execute(definition.render(withSecondaryIndexes));
    }
  }

  /**
   * How an existing target table differs from what the move would create, or null when it does not: both
   * definitions as {@link TableDefinition} normalizes them (AUTO_INCREMENT counters aside).
   */
  static String difference(Connection target, String schema, String table, String expected) throws SQLException {
    String actual = TableDefinition.read(target, schema, table);
    String wanted = TableDefinition.normalize(expected);
    if (actual.equals(wanted)) {
      return null;
    }
    List<String> a = List.of(actual.split("\n"));
    List<String> w = List.of(wanted.split("\n"));
    List<String> differences = new ArrayList<>();
    for (String line : w) {
      if (!a.contains(line)) {
        differences.add("the source has " + line.trim());
      }
    }
    for (String line : a) {
      if (!w.contains(line)) {
        differences.add("the target has " + line.trim());
      }
    }
    return differences.isEmpty() ? "the element order differs" : String.join("; ", differences);
  }

  static boolean isEmpty(Connection target, String schema, String table) throws SQLException {
    try (Statement s = target.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM " + Identifiers.quote(schema, table) + " LIMIT 1")) {
      return !rs.next();
    }
  }

  static void drop(Connection target, String schema, String table) throws SQLException {
    try (Statement s = target.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + Identifiers.quote(schema, table));
    }
  }

  /** Whether the target table has its deferred indexes already (a resumed run built them before it died). */
  static boolean hasIndexes(javax.sql.DataSource pool, String schema, String table, Definition definition)
      throws SQLException {
    try (Connection c = pool.getConnection()) {
      return TableDefinition.read(c, schema, table).equals(TableDefinition.normalize(definition.render(true)));
    }
  }

  /** {@code ALTER TABLE … ADD <index>, …} for the deferred indexes, or null when there are none. */
  static String restoreIndexes(String schema, String table, Definition definition) {
    List<String> indexes = definition.secondaryIndexes();
    if (indexes.isEmpty()) {
      return null;
    }
    return "ALTER TABLE " + Identifiers.quote(schema, table) + " "
        + String.join(", ", indexes.stream().map(i -> "ADD " + i).toList());
  }
}
