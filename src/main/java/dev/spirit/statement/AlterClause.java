package dev.spirit.statement;

import java.util.List;
import java.util.Objects;

/**
 * One clause of an ALTER TABLE, as spirit understands it.
 *
 * @param kind what the clause does
 * @param text the clause as it is sent to the server: the operator's own text with comments removed (executable
 *     comments unwrapped), never JSQLParser's re-rendering, so FIRST/AFTER, COMMENT and every option survive
 * @param name the column, index, constraint or table option the clause is about (unquoted); for a table option its
 *     canonical upper-case name such as {@code ROW_FORMAT} or {@code CHARACTER SET}; null when there is none
 * @param oldName the previous name for CHANGE, RENAME COLUMN and RENAME INDEX; null otherwise
 * @param column the column definition for ADD / MODIFY / CHANGE COLUMN; null otherwise
 * @param keyParts the key parts of an added index, unquoted column names or {@code (expression)} text; else empty
 * @param partitions the partition names of DROP / TRUNCATE / REORGANIZE PARTITION; else empty
 * @param value the value of a table option, ALGORITHM or LOCK (string literals unquoted); null otherwise
 * @param conditional MariaDB's {@code IF EXISTS} / {@code IF NOT EXISTS} on the clause
 */
public record AlterClause(
    ClauseKind kind,
    String text,
    String name,
    String oldName,
    ColumnDefinition column,
    List<String> keyParts,
    List<String> partitions,
    String value,
    boolean conditional) {

  public AlterClause {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    keyParts = List.copyOf(keyParts);
    partitions = List.copyOf(partitions);
  }

  static AlterClause of(ClauseKind kind, String text, String name) {
    return new AlterClause(kind, text, name, null, null, List.of(), List.of(), null, false);
  }

  static AlterClause column(ClauseKind kind, String text, String name, String oldName, ColumnDefinition column,
      boolean conditional) {
    return new AlterClause(kind, text, name, oldName, column, List.of(), List.of(), null, conditional);
  }

  static AlterClause index(ClauseKind kind, String text, String name, List<String> keyParts) {
    return new AlterClause(kind, text, name, null, null, keyParts, List.of(), null, false);
  }

  static AlterClause valued(ClauseKind kind, String text, String name, String value) {
    return new AlterClause(kind, text, name, null, null, List.of(), List.of(), value, false);
  }

  static AlterClause partitions(ClauseKind kind, String text, List<String> partitions) {
    return new AlterClause(kind, text, null, null, null, List.of(), partitions, null, false);
  }

  AlterClause withConditional(boolean conditional) {
    return new AlterClause(kind, text, name, oldName, column, keyParts, partitions, value, conditional);
  }

  /** True for ADD / MODIFY / CHANGE COLUMN with FIRST or AFTER. */
  public boolean reordersColumn() {
    return column != null && column.position().reorders();
  }
}
