package dev.spirit.statement;

import dev.spirit.error.SpiritException;
import java.util.Optional;

/**
 * The refusals that need the table's current shape: a pure function of the statement and a {@link TableShape}, so it
 * is tested without a database. Run after {@link StatementParser} and before any change.
 */
public final class TableShapeRules {

  private TableShapeRules() {}

  /**
   * Refuses (with {@code UNSUPPORTED_STATEMENT}) changes to the primary key, unsafe ENUM/SET changes, and clauses
   * naming columns that do not exist or adding ones that do.
   *
   * @throws IllegalArgumentException when the shape describes another table than the statement
   */
  public static void check(AlterTableStatement stmt, TableShape shape) {
    if (!stmt.schema().equals(shape.schema()) || !stmt.table().equalsIgnoreCase(shape.table())) {
      throw new IllegalArgumentException("table shape of " + Refusal.qualified(shape.schema(), shape.table())
          + " given for a statement on " + Refusal.qualified(stmt.schema(), stmt.table()));
    }
    Refusal refusal = Refusal.forTable(stmt.schema(), stmt.table());
    for (AlterClause c : stmt.clauses()) {
      checkClause(stmt, shape, c, refusal);
    }
  }

  private static void checkClause(AlterTableStatement stmt, TableShape shape, AlterClause c, Refusal refusal) {
    switch (c.kind()) {
      case ADD_PRIMARY_KEY -> throw changesPrimaryKey(refusal, "`" + c.text() + "` adds a primary key");
      case ADD_COLUMN -> {
        boolean recreated = stmt.recreatedColumns().contains(c.name());
        if (shape.column(c.name()).isPresent() && !c.conditional() && !recreated) {
          throw refusal.refuse("column " + Refusal.quote(c.name()) + " already exists",
              "pick another name, or change the existing column with MODIFY COLUMN");
        }
        refuseInlinePrimaryKey(c, refusal);
      }
      case DROP_COLUMN -> {
        if (mustExist(shape, c, c.name(), refusal) && shape.isPrimaryKeyColumn(c.name())) {
          throw changesPrimaryKey(refusal, "dropping column " + Refusal.quote(c.name())
              + " removes it from the primary key");
        }
      }
      case MODIFY_COLUMN -> {
        mustExist(shape, c, c.name(), refusal);
        refuseInlinePrimaryKey(c, refusal);
        refuseEnumSetChange(shape, c, c.name(), refusal);
      }
      case CHANGE_COLUMN -> {
        mustExist(shape, c, c.oldName(), refusal);
        refusePrimaryKeyRename(shape, c, refusal);
        refuseRenameOntoExisting(stmt, shape, c, refusal);
        refuseInlinePrimaryKey(c, refusal);
        refuseEnumSetChange(shape, c, c.oldName(), refusal);
      }
      case RENAME_COLUMN -> {
        mustExist(shape, c, c.oldName(), refusal);
        refusePrimaryKeyRename(shape, c, refusal);
        refuseRenameOntoExisting(stmt, shape, c, refusal);
      }
      case ALTER_COLUMN_DEFAULT, COLUMN_VISIBILITY -> mustExist(shape, c, c.name(), refusal);
      default -> {
        // no table-dependent rule
      }
    }
  }

  /** False when the column is missing but the clause says IF EXISTS (a no-op on MariaDB). */
  private static boolean mustExist(TableShape shape, AlterClause c, String column, Refusal refusal) {
    if (shape.column(column).isPresent()) {
      return true;
    }
    if (c.conditional()) {
      return false;
    }
    throw refusal.refuse("column " + Refusal.quote(column) + " named in `" + Refusal.abbreviate(c.text())
        + "` does not exist", "check the column name against SHOW CREATE TABLE");
  }

  private static void refusePrimaryKeyRename(TableShape shape, AlterClause c, Refusal refusal) {
    if (shape.isPrimaryKeyColumn(c.oldName()) && !c.oldName().equalsIgnoreCase(c.name())) {
      throw refusal.refuse("renaming primary key column " + Refusal.quote(c.oldName()) + " is not supported "
          + "because spirit copies and matches rows by primary key", "keep the primary key column's name");
    }
  }

  private static void refuseRenameOntoExisting(AlterTableStatement stmt, TableShape shape, AlterClause c,
      Refusal refusal) {
    if (c.oldName().equalsIgnoreCase(c.name()) || shape.column(c.name()).isEmpty()) {
      return;
    }
    boolean droppedHere = stmt.droppedColumns().stream().anyMatch(d -> d.equalsIgnoreCase(c.name()));
    if (!droppedHere) {
      throw refusal.refuse("renaming " + Refusal.quote(c.oldName()) + " to " + Refusal.quote(c.name())
          + " collides with the existing column " + Refusal.quote(c.name()), "pick a new name that is not in use");
    }
  }

  private static void refuseInlinePrimaryKey(AlterClause c, Refusal refusal) {
    if (c.column() != null && c.column().primaryKey()) {
      throw changesPrimaryKey(refusal, "the definition of column " + Refusal.quote(c.name())
          + " declares PRIMARY KEY");
    }
  }

  private static void refuseEnumSetChange(TableShape shape, AlterClause c, String column, Refusal refusal) {
    Optional<TableShape.Column> current = shape.column(column);
    if (current.isEmpty()) {
      return;
    }
    ColumnType from = ColumnType.parse(current.get().columnType());
    Optional<String> problem = EnumSetRules.problem(from, c.column().type());
    if (problem.isPresent()) {
      throw refusal.refuse("changing column " + Refusal.quote(column) + " from " + from.text() + " to "
          + c.column().type().text() + " is not supported: " + problem.get(),
          "only append new values at the end of the list, or convert to VARCHAR first");
    }
  }

  private static SpiritException changesPrimaryKey(Refusal refusal, String what) {
    return refusal.refuse(what + ", and changing the primary key's columns is not supported because spirit "
        + "copies, applies and checksums rows by primary key", "keep the primary key's columns as they are");
  }
}
