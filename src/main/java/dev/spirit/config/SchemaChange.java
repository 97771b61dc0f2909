package dev.spirit.config;

import java.util.Locale;
import java.util.Objects;

/**
 * The change {@code migrate} makes: either a full SQL statement ({@code --statement}) or gh-ost's shorthand of a
 * table plus the clauses of its ALTER ({@code --table} and {@code --alter}). The statement text is kept as given;
 * parsing and refusing unsupported statements is the statement package's job, not configuration's.
 */
public sealed interface SchemaChange permits SchemaChange.Statement, SchemaChange.TableAlter {

  /** The SQL to run, as one statement. */
  String sql();

  record Statement(String sql) implements SchemaChange {
    public Statement {
      OptionChecks.notBlank(OptionNames.STATEMENT, Objects.requireNonNull(sql, "sql"));
    }
  }

  /** A table in {@code --database} and the ALTER clauses for it, such as {@code ADD COLUMN c INT}. */
  record TableAlter(String table, String alter) implements SchemaChange {
    public TableAlter {
      OptionChecks.notBlank(OptionNames.TABLE, Objects.requireNonNull(table, "table"));
      OptionChecks.notBlank(OptionNames.ALTER, Objects.requireNonNull(alter, "alter"));
      if (table.indexOf('.') >= 0) {
        throw new InvalidOptionException(
            OptionNames.TABLE + ": takes a table name without a schema; give the schema with --database",
            OptionNames.TABLE);
      }
      if (alter.strip().toUpperCase(Locale.ROOT).startsWith("ALTER ")) {
        throw new InvalidOptionException(
            OptionNames.ALTER + ": takes only the clauses, such as 'ADD COLUMN c INT'; for a whole statement use"
                + " --statement",
            OptionNames.ALTER);
      }
    }

    @Override
    public String sql() {
      String clauses = alter.strip();
      // A trailing semicolon is harmless punctuation for the operator but would break the statement we build.
      while (clauses.endsWith(";")) {
        clauses = clauses.substring(0, clauses.length() - 1).strip();
      }
      return "ALTER TABLE `" + table.replace("`", "``") + "` " + clauses;
    }
  }

  /**
   * Chooses the form from the three options; null means the option was not given. Exactly one form is required and
   * the two cannot be mixed.
   */
  static SchemaChange fromOptions(String statement, String table, String alter) {
    boolean shorthand = table != null || alter != null;
    if (statement != null && shorthand) {
      throw new InvalidOptionException(
          OptionNames.STATEMENT + " cannot be combined with " + OptionNames.TABLE + "/" + OptionNames.ALTER
              + "; give one form only",
          OptionNames.STATEMENT, table != null ? OptionNames.TABLE : OptionNames.ALTER);
    }
    if (statement != null) {
      return new Statement(statement);
    }
    if (table == null && alter == null) {
      throw new InvalidOptionException(
          "no change given: use " + OptionNames.STATEMENT + " '<ALTER TABLE ...>', or " + OptionNames.TABLE
              + " with " + OptionNames.ALTER);
    }
    if (table == null) {
      throw new InvalidOptionException(
          OptionNames.ALTER + " needs " + OptionNames.TABLE + " (or use " + OptionNames.STATEMENT + ")",
          OptionNames.ALTER);
    }
    if (alter == null) {
      throw new InvalidOptionException(
          OptionNames.TABLE + " needs " + OptionNames.ALTER + " (or use " + OptionNames.STATEMENT + ")",
          OptionNames.TABLE);
    }
    return new TableAlter(table, alter);
  }
}
