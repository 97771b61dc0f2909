package dev.spirit.statement;

import java.util.List;
import java.util.Objects;

/**
 * A CREATE TABLE, DROP TABLE or RENAME TABLE: spirit runs it as written, without a shadow table.
 *
 * @param kind which of the three
 * @param schema the schema ({@code --database}); every table named in the statement is in it
 * @param tables the tables the statement names, unquoted, in order (for RENAME: old, new, old, new, …)
 * @param statement the text to execute verbatim (trimmed, trailing semicolon removed, comments kept for the server)
 */
public record DirectStatement(Kind kind, String schema, List<String> tables, String statement)
    implements ParsedStatement {

  public enum Kind {
    CREATE_TABLE,
    DROP_TABLE,
    RENAME_TABLE
  }

  public DirectStatement {
    Objects.requireNonNull(kind, "kind");
    tables = List.copyOf(tables);
  }
}
