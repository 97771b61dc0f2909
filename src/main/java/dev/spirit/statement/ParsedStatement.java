package dev.spirit.statement;

/**
 * What {@link StatementParser} made of {@code --statement}: an ALTER TABLE to migrate online, several ALTER TABLEs to
 * migrate online together, or a statement spirit runs directly as written.
 */
public sealed interface ParsedStatement permits AlterTableStatement, DirectStatement, MultiTableAlter {

  /** The schema every table of the statement is in ({@code --database}). */
  String schema();

  /** The operator's statement as given, trimmed and without trailing semicolons. */
  String statement();
}
