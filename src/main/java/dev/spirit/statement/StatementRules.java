package dev.spirit.statement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The refusals that need only the statement, not the table: each one names a change spirit cannot make safely by
 * copying into a shadow table. Checked in a fixed order so the same statement always gets the same first error.
 */
final class StatementRules {

  private StatementRules() {}

  static void check(AlterTableStatement stmt) {
    Refusal refusal = Refusal.forTable(stmt.schema(), stmt.table());
    List<AlterClause> clauses = stmt.clauses();
    if (clauses.isEmpty()) {
      throw refusal.refuse("the ALTER TABLE has no clauses, so there is nothing to migrate",
          "add the change to make, e.g. ADD COLUMN c INT");
    }
    refuseAlgorithmAndLock(stmt, refusal);
    for (AlterClause c : clauses) {
      refuseClause(c, refusal);
    }
    if (clauses.size() > 1 && clauses.stream().anyMatch(c -> c.kind().isPartitioning())) {
      throw refusal.refuse("partitioning clauses cannot be combined with other clauses in one ALTER TABLE",
          "run the partitioning change as its own statement");
    }
    refuseRepeatedColumns(stmt, refusal);
    refuseRenameConflicts(stmt, refusal);
  }

  private static void refuseAlgorithmAndLock(AlterTableStatement stmt, Refusal refusal) {
    List<String> found = stmt.clauses().stream()
        .filter(c -> c.kind() == ClauseKind.ALGORITHM || c.kind() == ClauseKind.LOCK)
        .map(c -> "`" + c.text() + "`")
        .toList();
    if (!found.isEmpty()) {
      throw refusal.refuse("ALGORITHM= and LOCK= clauses are not allowed because spirit chooses the algorithm "
          + "and lock level itself (a later ALGORITHM would override spirit's and could run a blocking copy)",
          "remove " + String.join(", ", found) + " from the statement");
    }
  }

  private static void refuseClause(AlterClause c, Refusal refusal) {
    switch (c.kind()) {
      case RENAME_TABLE -> throw refusal.refuse("table renames inside ALTER TABLE (`" + c.text()
          + "`) are not supported", "rename the table with its own RENAME TABLE statement");
      case ADD_FOREIGN_KEY -> throw refusal.refuse("adding foreign key constraints (`" + c.text()
          + "`) is not supported because spirit's copy-and-swap cannot carry foreign keys over safely",
          "remove the FOREIGN KEY clause");
      case DROP_FOREIGN_KEY -> throw refusal.refuse("foreign keys are not supported, so `" + c.text()
          + "` cannot be run by spirit", "drop the foreign key directly, without spirit");
      case DROP_PRIMARY_KEY -> throw refusal.refuse("dropping the primary key (`" + c.text()
          + "`) is not supported because spirit copies and checksums rows by primary key",
          "keep a primary key; to change its columns, migrate the table by other means");
      default -> {
        if (c.column() != null && c.column().references()) {
          throw refusal.refuse("the column definition of `" + c.name() + "` has an inline REFERENCES clause, and "
              + "foreign keys are not supported", "remove the REFERENCES clause");
        }
      }
    }
  }

  /**
   * A name may appear in ADD and DROP COLUMN clauses once each, dropped first: that column is new, and the copy gives
   * it its default on every row, as a native ALTER does ({@link AlterTableStatement#recreatedColumns}). Any other
   * repetition cannot be read as one clear change.
   */
  private static void refuseRepeatedColumns(AlterTableStatement stmt, Refusal refusal) {
    Map<String, List<ClauseKind>> uses = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Map<String, String> spelling = new LinkedHashMap<>();
    for (AlterClause c : stmt.clauses()) {
      if (c.kind() == ClauseKind.ADD_COLUMN || c.kind() == ClauseKind.DROP_COLUMN) {
        uses.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c.kind());
        spelling.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c.name());
      }
    }
    for (String name : spelling.values()) {
      List<ClauseKind> kinds = uses.get(name);
      boolean recreated = kinds.equals(List.of(ClauseKind.DROP_COLUMN, ClauseKind.ADD_COLUMN));
      if (kinds.size() > 1 && !recreated) {
        throw refusal.refuse("column " + Refusal.quote(name) + " is mentioned " + kinds.size() + " times in the"
            + " same statement, so spirit cannot tell which rows' values belong to which column",
            "split the change into separate migrations");
      }
    }
  }

  private static void refuseRenameConflicts(AlterTableStatement stmt, Refusal refusal) {
    List<String> added = stmt.addedColumns();
    for (Map.Entry<String, String> rename : stmt.renamedColumns().entrySet()) {
      for (String column : added) {
        if (column.equalsIgnoreCase(rename.getKey()) || column.equalsIgnoreCase(rename.getValue())) {
          throw refusal.refuse("column rename " + Refusal.quote(rename.getKey()) + " → "
              + Refusal.quote(rename.getValue()) + " conflicts with added column " + Refusal.quote(column)
              + ", so spirit cannot tell which column the existing values go to",
              "do the rename and the ADD COLUMN in separate migrations");
        }
      }
    }
  }
}
