package dev.spirit.statement;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An ALTER TABLE that passed spirit's statement-level rules, with every clause understood.
 *
 * @param schema the table's schema ({@code --database})
 * @param table the table, unquoted
 * @param clauses the clauses in statement order; never empty
 * @param statement the operator's statement as given (trimmed, no trailing semicolon); resume compares it verbatim
 */
public record AlterTableStatement(String schema, String table, List<AlterClause> clauses, String statement)
    implements ParsedStatement {

  public AlterTableStatement {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
    clauses = List.copyOf(clauses);
  }

  /**
   * The same change on the table as the server names it (its stored schema and table name, which differ from the
   * operator's in case where names are compared without case); the operator's text is kept for resume.
   */
  public AlterTableStatement onTable(String storedSchema, String storedTable) {
    return new AlterTableStatement(storedSchema, storedTable, clauses, statement);
  }

  /** The clause list to append after {@code ALTER TABLE <shadow table> }, in the operator's own words. */
  public String alterText() {
    return clauses.stream().map(AlterClause::text).collect(Collectors.joining(", "));
  }

  public List<ClauseKind> kinds() {
    return clauses.stream().map(AlterClause::kind).toList();
  }

  public List<AlterClause> clausesOf(ClauseKind kind) {
    return clauses.stream().filter(c -> c.kind() == kind).toList();
  }

  /**
   * Column renames (RENAME COLUMN, and CHANGE with a different name), old name to new name. Lookups ignore case, as
   * MySQL column names do; a change of case only is not a rename, since the copy matches columns ignoring case.
   */
  public SortedMap<String, String> renamedColumns() {
    SortedMap<String, String> renames = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (AlterClause c : clauses) {
      boolean renaming = c.kind() == ClauseKind.RENAME_COLUMN || c.kind() == ClauseKind.CHANGE_COLUMN;
      if (renaming && !c.oldName().equalsIgnoreCase(c.name())) {
        renames.put(c.oldName(), c.name());
      }
    }
    return Collections.unmodifiableSortedMap(renames);
  }

  public List<String> addedColumns() {
    return clausesOf(ClauseKind.ADD_COLUMN).stream().map(AlterClause::name).toList();
  }

  public List<String> droppedColumns() {
    return clausesOf(ClauseKind.DROP_COLUMN).stream().map(AlterClause::name).toList();
  }

  /** Columns dropped and added again under the same name (ignoring case): new columns, not the old ones kept. */
  public Set<String> recreatedColumns() {
    Set<String> dropped = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    dropped.addAll(droppedColumns());
    Set<String> recreated = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    addedColumns().stream().filter(dropped::contains).forEach(recreated::add);
    return Collections.unmodifiableSet(recreated);
  }

  /**
   * True when the ALTER adds a unique index, as a clause or inside a column definition: duplicates in existing rows
   * would then be dropped silently by the copy's INSERT IGNORE, so the checksum must run.
   */
  public boolean addsUniqueIndex() {
    return clauses.stream().anyMatch(c -> c.kind() == ClauseKind.ADD_UNIQUE || c.kind() == ClauseKind.ADD_PRIMARY_KEY
        || (c.column() != null && (c.column().unique() || c.column().primaryKey())));
  }

  /** True when any column clause has FIRST or AFTER. */
  public boolean reordersColumns() {
    return clauses.stream().anyMatch(AlterClause::reordersColumn);
  }

  /**
   * The clauses neither MySQL 8.0 nor MariaDB 10.6+ can apply without rebuilding the table (a new index, key or
   * partitioning, FORCE), and that are not on the INPLACE list spirit tries: with one of them the change is copied.
   * Empty says only that the server decides when spirit tries; a dry run cannot know more without trying.
   */
  public List<AlterClause> alwaysCopied() {
    return clauses.stream().filter(c -> switch (c.kind()) {
      case ADD_INDEX, ADD_UNIQUE, ADD_FULLTEXT, ADD_SPATIAL, ADD_PRIMARY_KEY, FORCE, PARTITION_BY,
          PARTITION_REMOVE, PARTITION_COALESCE, PARTITION_REORGANIZE -> true;
      default -> false;
    }).toList();
  }

  /**
   * True when every clause is on upstream Spirit's list of changes that ALGORITHM=INPLACE, LOCK=NONE performs as a
   * metadata-only operation: RENAME INDEX, index visibility, ADD/DROP/TRUNCATE PARTITION, DROP INDEX, the table
   * COMMENT, and MODIFY/CHANGE to VARCHAR that neither reorders nor declares NOT NULL. ADD INDEX is deliberately
   * absent: an in-place index build blocks replicas while they apply it. One clause off the list makes the whole
   * statement unsafe, since a mix of INSTANT and INPLACE work cannot be told apart safely.
   */
  public boolean isInplaceSafe() {
    return clauses.stream().allMatch(AlterTableStatement::isInplaceSafe);
  }

  private static boolean isInplaceSafe(AlterClause c) {
    return switch (c.kind()) {
      case RENAME_INDEX, INDEX_VISIBILITY, PARTITION_DROP, PARTITION_TRUNCATE, PARTITION_ADD, DROP_INDEX -> true;
      case TABLE_OPTION -> "COMMENT".equals(c.name());
      case MODIFY_COLUMN, CHANGE_COLUMN -> c.column().type().name().equals("varchar")
          && !c.column().position().reorders() && !c.column().notNull();
      default -> false;
    };
  }
}
