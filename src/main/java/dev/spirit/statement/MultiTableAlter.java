package dev.spirit.statement;

import java.util.List;
import java.util.Objects;

/**
 * Several ALTER TABLEs run as one migration: one shadow per table, one atomic cutover.
 *
 * @param schema the schema every table is in ({@code --database})
 * @param alters the ALTERs in statement order, at least two, each on a different table; each is what parsing its
 *     statement alone gives, so its {@link AlterTableStatement#statement()} is that statement's own text
 * @param statement the operator's whole text (trimmed, no trailing semicolon); resume compares it verbatim
 */
public record MultiTableAlter(String schema, List<AlterTableStatement> alters, String statement)
    implements ParsedStatement {

  public MultiTableAlter {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(statement, "statement");
    alters = List.copyOf(alters);
  }
}
