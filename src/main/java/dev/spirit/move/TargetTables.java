package dev.spirit.move;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.migration.Preflight;
import dev.spirit.table.CreateTable;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;
import dev.spirit.table.TableDefinition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tables of a move on the target: created from the source's own {@code SHOW CREATE TABLE}, optionally without
 * their secondary indexes (added back after the copy as one sorted build per table), and compared with the source's
 * when they already exist.
 */
final class TargetTables {
  private TargetTables() {}

  /**
   * Creates the tables the target does not have yet, in the target connection's default schema. If the server refuses
   * one, the tables this call created are dropped again and the move is refused with the server's reason.
   */
  static void createMissing(Connection target, String schema, List<String> tables, List<CreateTable> definitions,
      boolean withSecondaryIndexes) throws SQLException {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      if (TableInfo.exists(target, schema, tables.get(i))) {
        continue;
      }
      String create = definitions.get(i).render(withSecondaryIndexes);
      try (Statement s = target.createStatement()) {
        s.execute(create);
        created.add(tables.get(i));
      } catch (SQLException e) {
        for (String table : created) {
          drop(target, schema, table);
        }
        throw refused(schema, tables.get(i), e, create);
      }
    }
  }

  private static SpiritException refused(String schema, String table, SQLException e, String create) {
    return Preflight.refuse(ErrorCode.UNSUPPORTED_TABLE, "refusing to move " + Identifiers.quote(schema, table)
        + ": the target refused its definition (" + e.getErrorCode() + " " + e.getMessage() + "; statement: "
        + create.replace("\n", " ") + "). Nothing was left on the target; change the definition on the source"
        + " first.");
  }

  /**
   * A dry run's proof that the target takes each definition the run would create: each is created as a temporary
   * table of the target connection's session, which no other session sees, ROW binlogging does not log, and the drop
   * right after removes. Temporary InnoDB tables take neither FULLTEXT nor SPATIAL indexes nor partitioning, so
   * those are left out of the check. A refusal is {@link #createMissing}'s, word for word.
   *
   * @param tables the tables the run would create on the target
   */
  static void checkAccepted(Connection target, String schema, List<String> tables, List<CreateTable> definitions,
      boolean withSecondaryIndexes) throws SQLException {
    for (int i = 0; i < tables.size(); i++) {
      CreateTable d = definitions.get(i);
      String temp = Identifiers.quote(Identifiers.helperName(tables.get(i), "_dry"));
      String head = d.head().replaceFirst("^CREATE TABLE " + Identifiers.QUOTED_PATTERN,
          "CREATE TEMPORARY TABLE " + temp);
      List<String> kept = d.elements().stream().filter(e -> !e.startsWith("FULLTEXT ") && !e.startsWith("SPATIAL "))
          .toList();
      String create = new CreateTable(head, kept, d.tail().split("\n", 2)[0]).render(withSecondaryIndexes);
      try (Statement s = target.createStatement()) {
        s.execute(create);
        s.execute("DROP TEMPORARY TABLE " + temp);
      } catch (SQLException e) {
        throw refused(schema, tables.get(i), e, definitions.get(i).render(withSecondaryIndexes));
      }
    }
  }

  /**
   * How the move checks an existing target table: between servers of one flavour by the printed definition; between
   * flavours, which print one table differently, by its {@link TableShape}, the source's read now.
   */
  static MoveState.DefinitionMatch match(Connection source, String targetSchema, List<TableMove> tables,
      List<CreateTable> definitions, boolean fromMariaDb, boolean toMariaDb) throws SQLException {
    if (fromMariaDb == toMariaDb) {
      return (target, i, withIndexes) -> difference(target, targetSchema, tables.get(i).table(),
          definitions.get(i).render(withIndexes));
    }
    Map<String, String> names = toMariaDb ? DefinitionTranslation.MYSQL_TO_MARIADB_COLLATIONS
        : DefinitionTranslation.MARIADB_TO_MYSQL_COLLATIONS;
    List<List<String>> complete = new ArrayList<>();
    List<List<String>> withoutIndexes = new ArrayList<>();
    for (TableMove t : tables) {
      complete.add(TableShape.read(source, t.source().schema(), t.table(), names, true));
      withoutIndexes.add(TableShape.read(source, t.source().schema(), t.table(), names, false));
    }
    return (target, i, withIndexes) -> TableShape.difference(withIndexes ? complete.get(i) : withoutIndexes.get(i),
        TableShape.read(target, targetSchema, tables.get(i).table(), Map.of(), true));
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
  static boolean hasIndexes(javax.sql.DataSource pool, String schema, String table, CreateTable definition)
      throws SQLException {
    try (Connection c = pool.getConnection()) {
      return TableDefinition.read(c, schema, table).equals(TableDefinition.normalize(definition.render(true)));
    }
  }

  /** {@code ALTER TABLE … ADD <index>, …} for the deferred indexes, or null when there are none. */
  static String restoreIndexes(String schema, String table, CreateTable definition) {
    List<String> indexes = definition.secondaryIndexes();
    if (indexes.isEmpty()) {
      return null;
    }
    return "ALTER TABLE " + Identifiers.quote(schema, table) + " "
        + String.join(", ", indexes.stream().map(i -> "ADD " + i).toList());
  }
}
