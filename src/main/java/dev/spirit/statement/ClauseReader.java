package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;

/**
 * Spirit's own reading of one ALTER TABLE clause: its kind, names, column definition and key parts. This reading is
 * authoritative for the model; {@link JsqlClauseVerifier} then checks that JSQLParser, an independent grammar, agrees.
 *
 * <p>Anything not recognised is refused here, so an unknown clause can never hide inside another one.
 */
final class ClauseReader {

  private static final List<String> ALGORITHM_VALUES = List.of("DEFAULT", "INSTANT", "INPLACE", "COPY", "NOCOPY");
  private static final List<String> LOCK_VALUES = List.of("DEFAULT", "NONE", "SHARED", "EXCLUSIVE");
  /** Words after which ALGORITHM is a column or index name, not the ALGORITHM clause. */
  private static final String[] NAME_SLOT_BEFORE = {
    "COLUMN", "ADD", "DROP", "MODIFY", "CHANGE", "AFTER", "RENAME", "TO", "AS", "INDEX", "KEY", "ALTER", "EXISTS",
    "CONSTRAINT"
  };
  private static final String[] CONSTRAINT_WORDS = {
    "INDEX", "KEY", "UNIQUE", "PRIMARY", "FOREIGN", "CHECK", "CONSTRAINT", "FULLTEXT", "SPATIAL"
  };

  private final LexedSql lexed;
  private final Refusal refusal;

  ClauseReader(LexedSql lexed, Refusal refusal) {
    this.lexed = lexed;
    this.refusal = refusal;
  }

  List<AlterClause> read(ClauseSplitter.Range range) {
    int modifier = embeddedModifier(range);
    if (modifier > range.from()) {
      List<AlterClause> clauses = new ArrayList<>(read(new ClauseSplitter.Range(range.from(), modifier)));
      clauses.addAll(read(new ClauseSplitter.Range(modifier, range.to())));
      return clauses;
    }
    TokenCursor c = new TokenCursor(lexed, range.from(), range.to());
    String text = lexed.slice(range.from(), range.to());
    SqlToken first = c.peek();
    String keyword = first.type() == SqlToken.Type.WORD ? first.upper() : "";
    return switch (keyword) {
      case "ADD" -> readAdd(c, text);
      case "DROP" -> List.of(readDrop(c, text));
      case "MODIFY" -> List.of(readModify(c, text));
      case "CHANGE" -> List.of(readChange(c, text));
      case "RENAME" -> List.of(readRename(c, text));
      case "ALTER" -> List.of(readAlter(c, text));
      case "ALGORITHM", "LOCK" -> readModifier(c);
      case "CONVERT" -> List.of(AlterClause.of(ClauseKind.CONVERT_CHARSET, text, null));
      case "FORCE" -> List.of(single(c, ClauseKind.FORCE, text, 1));
      case "PARTITION", "REMOVE", "COALESCE", "REORGANIZE", "TRUNCATE", "EXCHANGE", "ANALYZE", "CHECK",
          "OPTIMIZE", "REBUILD", "REPAIR", "DISCARD", "IMPORT" -> List.of(PartitionClauses.read(c, text, refusal));
      default -> readOther(c, text);
    };
  }

  private List<AlterClause> readOther(TokenCursor c, String text) {
    if (TableOptionReader.startsTableOption(c)) {
      return new TableOptionReader(refusal).read(c);
    }
    throw refusal.refuse("clause `" + Refusal.abbreviate(text) + "` is not one spirit understands, so it cannot be "
        + "sure nothing in the statement would be lost", "remove that clause, or run the change without spirit");
  }

  /**
   * Finds {@code ALGORITHM [=] x} or {@code LOCK [=] x} inside the range without a comma before it, e.g.
   * {@code ADD INDEX i (a) ALGORITHM=INPLACE}: MySQL accepts that, JSQLParser fails on it or (after a column
   * definition) silently folds it into the column's attributes.
   */
  private int embeddedModifier(ClauseSplitter.Range range) {
    List<SqlToken> tokens = lexed.tokens();
    int depth = 0;
    for (int i = range.from(); i < range.to(); i++) {
      SqlToken t = tokens.get(i);
      if (t.isSymbol('(')) {
        depth++;
      } else if (t.isSymbol(')')) {
        depth--;
      } else if (depth == 0 && i > range.from() && isModifierAt(i, range.to())
          && !tokens.get(i - 1).isAny(NAME_SLOT_BEFORE)) {
        return i;
      }
    }
    return -1;
  }

  private boolean isModifierAt(int i, int to) {
    SqlToken t = lexed.tokens().get(i);
    if (!t.isAny("ALGORITHM", "LOCK") || i + 1 >= to) {
      return false;
    }
    SqlToken next = lexed.tokens().get(i + 1);
    if (next.isSymbol('=')) {
      return i + 2 < to && lexed.tokens().get(i + 2).type() == SqlToken.Type.WORD;
    }
    List<String> values = t.is("ALGORITHM") ? ALGORITHM_VALUES : LOCK_VALUES;
    return next.type() == SqlToken.Type.WORD && values.contains(next.upper());
  }

  private List<AlterClause> readModifier(TokenCursor c) {
    int start = c.index();
    SqlToken word = c.next();
    c.acceptSymbol('=');
    String value = c.expectWord(word.upper() + "'s value").upper();
    ClauseKind kind = word.is("ALGORITHM") ? ClauseKind.ALGORITHM : ClauseKind.LOCK;
    List<AlterClause> clauses = new ArrayList<>();
    clauses.add(AlterClause.valued(kind, lexed.slice(start, c.index()), word.upper(), value));
    if (!c.atEnd()) {
      clauses.addAll(read(new ClauseSplitter.Range(c.index(), c.end())));
    }
    return clauses;
  }

  private List<AlterClause> readAdd(TokenCursor c, String text) {
    c.expect("ADD");
    if (c.peekIs("PARTITION")) {
      return List.of(AlterClause.of(ClauseKind.PARTITION_ADD, text, null));
    }
    boolean columnKeyword = c.accept("COLUMN");
    boolean ifNotExists = acceptIf(c, true);
    if (c.peekIsSymbol('(')) {
      return expandColumnList(c);
    }
    if (!columnKeyword && !ifNotExists && c.peekIsWord() && c.peek().isAny(CONSTRAINT_WORDS)) {
      return List.of(readAddConstraint(c, text));
    }
    String name = c.expectName("a column name");
    ColumnDefinition definition = ColumnDefinitionReader.read(c);
    return List.of(AlterClause.column(ClauseKind.ADD_COLUMN, text, name, null, definition, ifNotExists));
  }

  /** {@code ADD [COLUMN] (a INT, b INT, INDEX (a))}: one clause per element, each read as its own ADD. */
  private List<AlterClause> expandColumnList(TokenCursor c) {
    int open = c.index();
    int close = c.matchingParen();
    if (close != c.end() - 1) {
      throw new SqlSyntaxException("unexpected `" + lexed.tokens().get(close + 1).text() + "` after ADD COLUMN (…)");
    }
    List<AlterClause> clauses = new ArrayList<>();
    for (ClauseSplitter.Range element : ClauseSplitter.split(lexed, open + 1, close)) {
      SqlToken first = lexed.tokens().get(element.from());
      String elementText = lexed.slice(element.from(), element.to());
      boolean constraint = first.isAny(CONSTRAINT_WORDS);
      LexedSql single = SqlLexer.lex((constraint ? "ADD " : "ADD COLUMN ") + elementText);
      List<AlterClause> read = new ClauseReader(single, refusal)
          .read(new ClauseSplitter.Range(0, single.tokens().size()));
      for (AlterClause clause : read) {
        if (clause.reordersColumn()) {
          throw new SqlSyntaxException("FIRST and AFTER are not allowed inside ADD COLUMN (…)");
        }
      }
      clauses.addAll(read);
    }
    return clauses;
  }

  private AlterClause readAddConstraint(TokenCursor c, String text) {
    String symbol = null;
    boolean constraint = c.accept("CONSTRAINT");
    if (constraint && !atAny(c, "PRIMARY", "UNIQUE", "FOREIGN", "CHECK")) {
      symbol = c.expectName("a constraint name");
    }
    if (c.accept("PRIMARY")) {
      c.expect("KEY");
      return AlterClause.index(ClauseKind.ADD_PRIMARY_KEY, text, "PRIMARY", keyParts(c, false));
    }
    if (c.accept("UNIQUE")) {
      boolean keyword = c.accept("INDEX") || c.accept("KEY");
      String name = optionalIndexName(c);
      return AlterClause.index(ClauseKind.ADD_UNIQUE, text, name != null ? name : symbol, keyParts(c, keyword));
    }
    if (c.accept("FOREIGN")) {
      c.expect("KEY");
      String name = optionalIndexName(c);
      return AlterClause.index(ClauseKind.ADD_FOREIGN_KEY, text, symbol != null ? symbol : name, List.of());
    }
    if (c.accept("CHECK")) {
      if (!c.peekIsSymbol('(')) {
        throw new SqlSyntaxException("CHECK must be followed by a parenthesised condition");
      }
      return AlterClause.of(ClauseKind.ADD_CHECK, text, symbol);
    }
    if (constraint) {
      throw new SqlSyntaxException("CONSTRAINT must be followed by PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK");
    }
    ClauseKind kind = ClauseKind.ADD_INDEX;
    if (c.accept("FULLTEXT")) {
      kind = ClauseKind.ADD_FULLTEXT;
    } else if (c.accept("SPATIAL")) {
      kind = ClauseKind.ADD_SPATIAL;
    }
    boolean keyword = c.accept("INDEX") || c.accept("KEY");
    if (kind == ClauseKind.ADD_INDEX && !keyword) {
      throw new SqlSyntaxException("expected INDEX or KEY but found `" + c.peek().text() + "`");
    }
    String name = optionalIndexName(c);
    return AlterClause.index(kind, text, name, keyParts(c, true));
  }

  private static String optionalIndexName(TokenCursor c) {
    if (c.atEnd() || !c.peek().isName() || c.peek().is("USING")) {
      return null;
    }
    return c.next().name();
  }

  /** Reads {@code [USING type] (part, …)}, leaving index options after the list to JSQLParser's check. */
  private List<String> keyParts(TokenCursor c, boolean allowUsing) {
    if (allowUsing && c.accept("USING")) {
      c.expectWord("an index type");
    }
    if (!c.peekIsSymbol('(')) {
      throw new SqlSyntaxException("expected the index's column list in parentheses" + foundAt(c));
    }
    int open = c.index();
    int close = c.matchingParen();
    List<String> parts = new ArrayList<>();
    for (ClauseSplitter.Range part : ClauseSplitter.split(lexed, open + 1, close)) {
      SqlToken first = lexed.tokens().get(part.from());
      if (first.isSymbol('(')) {
        parts.add(lexed.slice(part.from(), part.to()));
      } else if (first.isName()) {
        parts.add(first.name());
      } else {
        throw new SqlSyntaxException("unexpected `" + first.text() + "` in an index column list");
      }
    }
    c.seek(close + 1);
    return parts;
  }

  private AlterClause readDrop(TokenCursor c, String text) {
    c.expect("DROP");
    if (c.accept("PRIMARY")) {
      c.expect("KEY");
      return end(c, AlterClause.of(ClauseKind.DROP_PRIMARY_KEY, text, "PRIMARY"));
    }
    if (c.accept("FOREIGN")) {
      c.expect("KEY");
      return end(c, AlterClause.of(ClauseKind.DROP_FOREIGN_KEY, text, c.expectName("a foreign key name")));
    }
    if (c.accept("CHECK")) {
      return end(c, AlterClause.of(ClauseKind.DROP_CHECK, text, c.expectName("a check constraint name")));
    }
    if (c.accept("CONSTRAINT")) {
      return end(c, AlterClause.of(ClauseKind.DROP_CONSTRAINT, text, c.expectName("a constraint name")));
    }
    if (c.accept("INDEX") || c.accept("KEY")) {
      boolean ifExists = acceptIf(c, false);
      String name = c.expectName("an index name");
      // DROP INDEX `PRIMARY` drops the primary key.
      ClauseKind kind = name.equalsIgnoreCase("PRIMARY") ? ClauseKind.DROP_PRIMARY_KEY : ClauseKind.DROP_INDEX;
      return end(c, AlterClause.of(kind, text, name).withConditional(ifExists));
    }
    if (c.peekIs("PARTITION")) {
      c.seek(c.index() - 1);
      return PartitionClauses.read(c, text, refusal);
    }
    c.accept("COLUMN");
    boolean ifExists = acceptIf(c, false);
    String name = c.expectName("a column name");
    return end(c, AlterClause.column(ClauseKind.DROP_COLUMN, text, name, null, null, ifExists));
  }

  private AlterClause readModify(TokenCursor c, String text) {
    c.expect("MODIFY");
    c.accept("COLUMN");
    boolean ifExists = acceptIf(c, false);
    String name = c.expectName("a column name");
    ColumnDefinition definition = ColumnDefinitionReader.read(c);
    return AlterClause.column(ClauseKind.MODIFY_COLUMN, text, name, null, definition, ifExists);
  }

  private AlterClause readChange(TokenCursor c, String text) {
    c.expect("CHANGE");
    c.accept("COLUMN");
    boolean ifExists = acceptIf(c, false);
    String oldName = c.expectName("the current column name");
    String newName = c.expectName("the new column name");
    ColumnDefinition definition = ColumnDefinitionReader.read(c);
    return AlterClause.column(ClauseKind.CHANGE_COLUMN, text, newName, oldName, definition, ifExists);
  }

  private AlterClause readRename(TokenCursor c, String text) {
    c.expect("RENAME");
    if (c.accept("COLUMN")) {
      String oldName = c.expectName("the current column name");
      c.expect("TO");
      String newName = c.expectName("the new column name");
      return end(c, AlterClause.column(ClauseKind.RENAME_COLUMN, text, newName, oldName, null, false));
    }
    if (c.accept("INDEX") || c.accept("KEY")) {
      String oldName = c.expectName("the current index name");
      c.expect("TO");
      String newName = c.expectName("the new index name");
      return end(c, new AlterClause(ClauseKind.RENAME_INDEX, text, newName, oldName, null, List.of(), List.of(),
          null, false));
    }
    if (!c.accept("TO")) {
      c.accept("AS");
    }
    return AlterClause.of(ClauseKind.RENAME_TABLE, text, c.rest());
  }

  private AlterClause readAlter(TokenCursor c, String text) {
    c.expect("ALTER");
    if (c.accept("INDEX")) {
      String name = c.expectName("an index name");
      if (!c.accept("VISIBLE") && !c.accept("INVISIBLE")) {
        throw new SqlSyntaxException("ALTER INDEX must be followed by VISIBLE or INVISIBLE" + foundAt(c));
      }
      return end(c, AlterClause.of(ClauseKind.INDEX_VISIBILITY, text, name));
    }
    if (c.accept("CHECK") || c.accept("CONSTRAINT")) {
      String name = c.expectName("a constraint name");
      c.accept("NOT");
      c.expect("ENFORCED");
      return end(c, AlterClause.of(ClauseKind.ALTER_CHECK, text, name));
    }
    c.accept("COLUMN");
    String name = c.expectName("a column name");
    ClauseKind kind;
    if (c.accept("DROP")) {
      c.expect("DEFAULT");
      kind = ClauseKind.ALTER_COLUMN_DEFAULT;
    } else {
      c.expect("SET");
      if (c.accept("DEFAULT")) {
        kind = ClauseKind.ALTER_COLUMN_DEFAULT;
        c.seek(c.end()); // the default value: a literal or (expression), checked by JSQLParser
      } else if (c.accept("VISIBLE") || c.accept("INVISIBLE")) {
        kind = ClauseKind.COLUMN_VISIBILITY;
      } else {
        throw new SqlSyntaxException("expected SET DEFAULT, DROP DEFAULT, SET VISIBLE or SET INVISIBLE"
            + foundAt(c));
      }
    }
    return end(c, AlterClause.column(kind, text, name, null, null, false));
  }

  private static AlterClause single(TokenCursor c, ClauseKind kind, String text, int words) {
    c.seek(c.index() + words);
    return end(c, AlterClause.of(kind, text, null));
  }

  /** Accepts {@code IF EXISTS} (or {@code IF NOT EXISTS} when {@code not} is true). */
  private static boolean acceptIf(TokenCursor c, boolean not) {
    if (!c.accept("IF")) {
      return false;
    }
    if (not) {
      c.expect("NOT");
    }
    c.expect("EXISTS");
    return true;
  }

  private static boolean atAny(TokenCursor c, String... words) {
    return c.peekIsWord() && c.peek().isAny(words);
  }

  static AlterClause end(TokenCursor c, AlterClause clause) {
    if (!c.atEnd()) {
      throw new SqlSyntaxException("unexpected `" + c.peek().text() + "` in clause `" + clause.text() + "`");
    }
    return clause;
  }

  private static String foundAt(TokenCursor c) {
    return c.atEnd() ? "" : " but found `" + c.peek().text() + "`";
  }
}
