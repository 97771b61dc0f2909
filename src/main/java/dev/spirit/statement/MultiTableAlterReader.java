package dev.spirit.statement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code --statement} of two or more statements into a {@link MultiTableAlter}. They share one cutover, which
 * can only swap shadow tables in, so each statement must be an ALTER TABLE (CREATE INDEX and DROP INDEX count, being
 * rewritten to one); each is parsed exactly as if given alone, so every single-statement rule applies to it unchanged.
 */
final class MultiTableAlterReader {

  private MultiTableAlterReader() {}

  /**
   * @param statement the operator's whole text
   * @param pieces the text of each statement, as {@link SqlLexer#statements} cut it; at least two
   */
  static MultiTableAlter read(String statement, List<String> pieces, String defaultSchema) {
    // Every statement is checked to be an ALTER before any is parsed: a statement that cannot be part of the
    // migration at all is the first thing to fix, whatever else is wrong with the others.
    for (int i = 0; i < pieces.size(); i++) {
      refuseUnlessAlter(pieces.get(i), i + 1, pieces.size());
    }
    List<AlterTableStatement> alters = new ArrayList<>();
    for (String piece : pieces) {
      alters.add((AlterTableStatement) StatementParser.parseOne(piece, defaultSchema));
    }
    refuseRepeatedTables(alters);
    return new MultiTableAlter(defaultSchema, alters, StatementParser.withoutTrailingSemicolons(statement));
  }

  private static void refuseUnlessAlter(String piece, int position, int count) {
    Refusal refusal = Refusal.forStatement(piece);
    List<SqlToken> tokens;
    try {
      tokens = SqlLexer.lex(piece).tokens();
    } catch (SqlSyntaxException e) {
      throw StatementParser.unparsable(refusal, e);
    }
    if (!isAlter(tokens)) {
      throw refusal.refuse("statement " + position + " of " + count + " is not an ALTER TABLE, and several "
          + "statements must all be ALTER TABLE (or CREATE INDEX / DROP INDEX) because they run as one migration "
          + "with one cutover that swaps in a shadow table per table", "run it separately, as its own --statement");
    }
  }

  /**
   * True for the statements that parse to an {@link AlterTableStatement}. ALTER ONLINE/OFFLINE/IGNORE TABLE count:
   * they are ALTERs whose own refusal says more than "not an ALTER" would.
   */
  private static boolean isAlter(List<SqlToken> tokens) {
    if (tokens.size() < 2) {
      return false;
    }
    SqlToken first = tokens.get(0);
    SqlToken second = tokens.get(1);
    if (first.is("ALTER")) {
      return second.isAny("TABLE", "ONLINE", "OFFLINE", "IGNORE");
    }
    if (first.is("CREATE")) {
      SqlToken third = tokens.size() > 2 ? tokens.get(2) : null;
      return second.is("INDEX") || (second.isAny("UNIQUE", "FULLTEXT", "SPATIAL") && third != null
          && third.is("INDEX"));
    }
    return first.is("DROP") && second.is("INDEX");
  }

  /**
   * Each table gets one shadow table, built by one ALTER; names are compared exactly, and the runner compares them
   * again as the server does, where case may not matter.
   */
  private static void refuseRepeatedTables(List<AlterTableStatement> alters) {
    Map<String, Integer> uses = new LinkedHashMap<>();
    for (AlterTableStatement alter : alters) {
      uses.merge(alter.table(), 1, Integer::sum);
    }
    for (AlterTableStatement alter : alters) {
      int count = uses.get(alter.table());
      if (count > 1) {
        throw Refusal.forTable(alter.schema(), alter.table()).refuse(Refusal.quote(alter.table())
            + " is altered by " + count + " statements, but each table is copied into one shadow table by one "
            + "ALTER", "put all of its clauses in one ALTER TABLE");
      }
    }
  }
}
