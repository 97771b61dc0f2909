package dev.spirit.statement;

/**
 * What {@link StatementParser} made of {@code --statement}: an ALTER TABLE to migrate online, or a statement spirit
 * runs directly as written.
 */
public sealed interface ParsedStatement permits AlterTableStatement, DirectStatement {

  /** The schema every table of the statement is in ({@code --database}). */
  String schema();

  /** The operator's statement as given, trimmed and without a trailing semicolon. */
  String statement();
}
