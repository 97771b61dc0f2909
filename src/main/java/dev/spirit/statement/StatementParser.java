package dev.spirit.statement;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * Turns {@code --statement} (or gh-ost style {@code --table} plus {@code --alter}) into a {@link ParsedStatement}, or
 * refuses it with {@link ErrorCode#UNSUPPORTED_STATEMENT} before anything is changed.
 *
 * <p>Accepted: one ALTER TABLE; CREATE INDEX and DROP INDEX, rewritten to ALTER TABLE … ADD/DROP INDEX; CREATE TABLE,
 * DROP TABLE and RENAME TABLE, which are run as written; and several of the first three separated by {@code ;}, each
 * on its own table, which become one {@link MultiTableAlter} so that the tables are cut over together (a statement
 * run as written cannot join that cutover, so it is refused in such a list). Every table must be in
 * {@code --database}.
 */
public final class StatementParser {

  private StatementParser() {}

  /**
   * Parses the operator's statement, or several of them separated by semicolons.
   *
   * @param statement the operator's statement; trailing semicolons are allowed
   * @param defaultSchema {@code --database}: unqualified tables are in it, qualified ones must name it
   * @return an {@link AlterTableStatement} or a {@link DirectStatement} for one statement, a {@link MultiTableAlter}
   *     for several
   * @throws SpiritException with {@code UNSUPPORTED_STATEMENT} when the statement is refused
   */
  public static ParsedStatement parse(String statement, String defaultSchema) {
    if (statement == null || statement.isBlank()) {
      throw Refusal.forStatement("").refuse("the statement is empty", "pass the change with --statement");
    }
    Refusal refusal = Refusal.forStatement(statement);
    List<String> pieces;
    try {
      pieces = SqlLexer.statements(statement);
    } catch (SqlSyntaxException e) {
      throw unparsable(refusal, e);
    }
    if (pieces.isEmpty()) {
      throw refusal.refuse("the statement is empty (only comments or semicolons)", "pass the change with --statement");
    }
    if (pieces.size() > 1) {
      return MultiTableAlterReader.read(statement, pieces, defaultSchema);
    }
    return parseOne(statement, defaultSchema);
  }

  /**
   * The gh-ost form: {@code --table t --alter "ADD COLUMN x INT"} gives the same result as
   * {@code ALTER TABLE t ADD COLUMN x INT}.
   */
  public static AlterTableStatement fromTableAndAlter(String schema, String table, String alterClauses) {
    String clauses = alterClauses == null ? "" : alterClauses.strip();
    Refusal refusal = Refusal.forTable(schema, table);
    if (clauses.isEmpty()) {
      throw refusal.refuse("--alter is empty, so there is nothing to migrate", "pass the clauses, e.g. "
          + "--alter \"ADD COLUMN c INT\"");
    }
    if (clauses.regionMatches(true, 0, "ALTER", 0, 5) && SqlLexer.lex(clauses).tokens().get(0).is("ALTER")) {
      throw refusal.refuse("--alter must hold only the clauses, not a whole ALTER TABLE statement",
          "drop the leading ALTER TABLE from --alter, or pass the whole statement with --statement");
    }
    ParsedStatement parsed = parse("ALTER TABLE " + Refusal.quote(table) + " " + clauses, schema);
    if (parsed instanceof MultiTableAlter) {
      throw refusal.refuse("--alter holds more than one statement, but --table and --alter describe the change of "
          + "one table", "pass the ALTERs of several tables together with --statement");
    }
    return (AlterTableStatement) parsed;
  }

  /**
   * Parses text that holds exactly one statement (trailing semicolons allowed): the whole {@code --statement}, or one
   * statement of several.
   */
  static ParsedStatement parseOne(String statement, String defaultSchema) {
    Refusal refusal = Refusal.forStatement(statement);
    String verbatim = withoutTrailingSemicolons(statement);
    try {
      LexedSql lexed = SqlLexer.lex(statement);
      ClauseSplitter.Range only = onlyStatement(lexed);
      SqlToken first = lexed.tokens().get(only.from());
      if (first.is("ALTER")) {
        return parseAlter(lexed, only, defaultSchema, verbatim);
      }
      if (first.is("CREATE") || first.is("DROP") || first.is("RENAME")) {
        return new DirectStatementReader(lexed, only, defaultSchema, verbatim, refusal).read();
      }
      throw notSupported(refusal, first.text());
    } catch (SqlSyntaxException e) {
      throw unparsable(refusal, e);
    }
  }

  static AlterTableStatement parseAlter(LexedSql lexed, ClauseSplitter.Range range, String defaultSchema,
      String verbatim) {
    TokenCursor c = new TokenCursor(lexed, range.from(), range.to());
    c.expect("ALTER");
    if (c.peekIsWord() && c.peek().isAny("ONLINE", "OFFLINE", "IGNORE")) {
      throw Refusal.forStatement(verbatim).refuse("ALTER " + c.peek().upper() + " TABLE is not supported",
          "write a plain ALTER TABLE");
    }
    if (!c.peekIs("TABLE")) {
      throw notSupported(Refusal.forStatement(verbatim), "ALTER " + (c.atEnd() ? "" : c.peek().text()));
    }
    c.expect("TABLE");
    TableRef ref = TableRef.read(c);
    String schema = ref.checkSchema(defaultSchema, verbatim);
    Refusal refusal = Refusal.forTable(schema, ref.table());
    try {
      List<AlterClause> clauses = new ArrayList<>();
      if (!c.atEnd()) {
        ClauseReader reader = new ClauseReader(lexed, refusal);
        for (ClauseSplitter.Range piece : ClauseSplitter.split(lexed, c.index(), range.to())) {
          clauses.addAll(reader.read(piece));
        }
      }
      AlterTableStatement stmt = new AlterTableStatement(schema, ref.table(), clauses, verbatim);
      StatementRules.check(stmt);
      JsqlClauseVerifier.verifyAll(stmt.clauses(), refusal);
      return stmt;
    } catch (SqlSyntaxException e) {
      throw refusal.refuse("the statement `" + Refusal.abbreviate(verbatim) + "` could not be parsed: "
          + e.getMessage(), "check the statement's syntax");
    }
  }

  /** Checks that JSQLParser can read a statement spirit runs as written; its failure is a refusal too. */
  static void requireJsqlParses(LexedSql lexed, ClauseSplitter.Range range, Refusal refusal) {
    StringBuilder probe = new StringBuilder();
    int previousEnd = lexed.tokens().get(range.from()).start();
    for (int i = range.from(); i < range.to(); i++) {
      SqlToken t = lexed.tokens().get(i);
      probe.append(lexed.text(), previousEnd, t.start());
      probe.append(t.type() == SqlToken.Type.STRING ? "'" + t.stringValue().replace("'", "''") + "'" : t.text());
      previousEnd = t.end();
    }
    try {
      CCJSqlParserUtil.parse(probe.toString(), p -> p.withTimeOut(JsqlClauseVerifier.TIMEOUT_MILLIS));
    } catch (JSQLParserException e) {
      throw refusal.refuse("it could not be parsed: " + JsqlClauseVerifier.parserReason(e),
          "check the statement's syntax");
    }
  }

  static SpiritException notSupported(Refusal refusal, String found) {
    return refusal.refuse("`" + found.strip() + "` is not a supported statement type (spirit runs ALTER TABLE, "
        + "CREATE INDEX, DROP INDEX, CREATE TABLE, DROP TABLE and RENAME TABLE)", "pass one of those");
  }

  static SpiritException unparsable(Refusal refusal, SqlSyntaxException e) {
    return refusal.refuse("it could not be parsed: " + e.getMessage(), "check the statement's syntax");
  }

  /** The tokens of the one statement, without the semicolons around it; the caller knows there is exactly one. */
  private static ClauseSplitter.Range onlyStatement(LexedSql lexed) {
    List<SqlToken> tokens = lexed.tokens();
    int from = 0;
    while (tokens.get(from).isSymbol(';')) {
      from++;
    }
    int to = from;
    while (to < tokens.size() && !tokens.get(to).isSymbol(';')) {
      to++;
    }
    return new ClauseSplitter.Range(from, to);
  }

  static String withoutTrailingSemicolons(String statement) {
    String s = statement.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).stripTrailing();
    }
    return s;
  }
}
