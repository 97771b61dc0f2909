package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the statements that start with CREATE, DROP or RENAME. CREATE INDEX and DROP INDEX become an ALTER TABLE
 * (so every ALTER rule, including the ALGORITHM/LOCK refusal, applies to them); CREATE TABLE, DROP TABLE and RENAME
 * TABLE become a {@link DirectStatement} once every table they name is checked to be in {@code --database}.
 */
final class DirectStatementReader {

  private final LexedSql lexed;
  private final ClauseSplitter.Range range;
  private final String defaultSchema;
  private final String verbatim;
  private final Refusal refusal;

  DirectStatementReader(LexedSql lexed, ClauseSplitter.Range range, String defaultSchema, String verbatim,
      Refusal refusal) {
    this.lexed = lexed;
    this.range = range;
    this.defaultSchema = defaultSchema;
    this.verbatim = verbatim;
    this.refusal = refusal;
  }

  ParsedStatement read() {
    TokenCursor c = new TokenCursor(lexed, range.from(), range.to());
    SqlToken verb = c.next();
    if (verb.is("RENAME")) {
      return renameTable(c);
    }
    boolean temporary = c.accept("TEMPORARY");
    if (verb.is("CREATE")) {
      String indexKind = c.peekIsWord() && c.peek().isAny("UNIQUE", "FULLTEXT", "SPATIAL") ? c.next().upper() : null;
      if (!temporary && c.accept("INDEX")) {
        return createIndex(c, indexKind);
      }
      if (indexKind == null && c.accept("TABLE")) {
        return createTable(c, temporary);
      }
    } else {
      if (!temporary && c.accept("INDEX")) {
        return dropIndex(c);
      }
      if (c.accept("TABLE")) {
        return dropTable(c, temporary);
      }
    }
    throw StatementParser.notSupported(refusal, lexed.slice(range.from(), Math.min(c.index() + 1, range.to())));
  }

  /** CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX i [USING t] ON tbl (…) … → ALTER TABLE tbl ADD … INDEX i (…) …. */
  private AlterTableStatement createIndex(TokenCursor c, String indexKind) {
    int nameAt = c.index();
    c.expectName("an index name");
    String name = lexed.slice(nameAt, c.index());
    String using = "";
    if (c.peekIs("USING")) {
      int usingAt = c.index();
      c.next();
      c.expectWord("an index type");
      using = " " + lexed.slice(usingAt, c.index());
    }
    c.expect("ON");
    TableRef table = TableRef.read(c);
    if (!c.peekIsSymbol('(')) {
      throw new SqlSyntaxException("expected the index's column list after the table name");
    }
    String alter = "ALTER TABLE " + lexed.slice(table.from(), table.to()) + " ADD "
        + (indexKind == null ? "" : indexKind + " ") + "INDEX " + name + using + " " + c.rest();
    return rewrittenAlter(alter);
  }

  /** DROP INDEX i ON tbl [ALGORITHM=…] → ALTER TABLE tbl DROP INDEX i [ALGORITHM=…]. */
  private AlterTableStatement dropIndex(TokenCursor c) {
    int nameAt = c.index();
    if (c.accept("IF")) {
      c.expect("EXISTS");
    }
    c.expectName("an index name");
    String name = lexed.slice(nameAt, c.index());
    c.expect("ON");
    TableRef table = TableRef.read(c);
    String rest = c.atEnd() ? "" : " " + c.rest();
    return rewrittenAlter("ALTER TABLE " + lexed.slice(table.from(), table.to()) + " DROP INDEX " + name + rest);
  }

  private AlterTableStatement rewrittenAlter(String alter) {
    LexedSql rewritten = SqlLexer.lex(alter);
    return StatementParser.parseAlter(rewritten, new ClauseSplitter.Range(0, rewritten.tokens().size()),
        defaultSchema, verbatim);
  }

  private DirectStatement createTable(TokenCursor c, boolean temporary) {
    refuseTemporary(temporary, "CREATE");
    if (c.accept("IF")) {
      c.expect("NOT");
      c.expect("EXISTS");
    }
    TableRef table = TableRef.read(c);
    List<String> tables = new ArrayList<>(List.of(table.table()));
    table.checkSchema(defaultSchema, verbatim);
    if (c.accept("LIKE")) {
      TableRef like = TableRef.read(c);
      like.checkSchema(defaultSchema, verbatim);
      tables.add(like.table());
    }
    StatementParser.requireJsqlParses(lexed, range, refusal);
    return new DirectStatement(DirectStatement.Kind.CREATE_TABLE, defaultSchema, tables, verbatim);
  }

  private DirectStatement dropTable(TokenCursor c, boolean temporary) {
    refuseTemporary(temporary, "DROP");
    if (c.accept("IF")) {
      c.expect("EXISTS");
    }
    List<String> tables = new ArrayList<>();
    do {
      TableRef table = TableRef.read(c);
      table.checkSchema(defaultSchema, verbatim);
      tables.add(table.table());
    } while (c.acceptSymbol(','));
    if (!c.accept("RESTRICT")) {
      c.accept("CASCADE");
    }
    expectEnd(c);
    return new DirectStatement(DirectStatement.Kind.DROP_TABLE, defaultSchema, tables, verbatim);
  }

  private DirectStatement renameTable(TokenCursor c) {
    c.expect("TABLE");
    List<String> tables = new ArrayList<>();
    do {
      for (int side = 0; side < 2; side++) {
        TableRef table = TableRef.read(c);
        table.checkSchema(defaultSchema, verbatim);
        tables.add(table.table());
        if (side == 0) {
          c.expect("TO");
        }
      }
    } while (c.acceptSymbol(','));
    expectEnd(c);
    return new DirectStatement(DirectStatement.Kind.RENAME_TABLE, defaultSchema, tables, verbatim);
  }

  private void refuseTemporary(boolean temporary, String verb) {
    if (temporary) {
      throw refusal.refuse(verb + " TEMPORARY TABLE is not supported because a temporary table lives only in "
          + "spirit's own connection", "run it in your own session");
    }
  }

  private static void expectEnd(TokenCursor c) {
    if (!c.atEnd()) {
      throw new SqlSyntaxException("unexpected `" + c.peek().text() + "`");
    }
  }
}
