package dev.spirit.statement;

/**
 * The parts of a column definition (ADD / MODIFY / CHANGE COLUMN) that spirit's rules look at; the full text stays in
 * {@link AlterClause#text()}.
 *
 * @param type the data type
 * @param notNull the definition says {@code NOT NULL} (or {@code SERIAL}, which implies it)
 * @param position FIRST / AFTER, read from the tokens after the type
 * @param primaryKey the definition says {@code PRIMARY KEY} (or bare {@code KEY}, MySQL's shorthand for it)
 * @param unique the definition adds a unique index ({@code UNIQUE [KEY]}, {@code SERIAL}, {@code SERIAL DEFAULT VALUE})
 * @param generated a generated column ({@code [GENERATED ALWAYS] AS (…)})
 * @param references an inline {@code REFERENCES} clause (a foreign key)
 */
public record ColumnDefinition(
    ColumnType type,
    boolean notNull,
    ColumnPosition position,
    boolean primaryKey,
    boolean unique,
    boolean generated,
    boolean references) {}
