package dev.spirit.statement;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A statement another session wrote to the binlog as text (a query event), read for what it does to tables: whether it
 * is a data change in statement format, and which tables a schema change changes or makes depend on it. Statements
 * that only name a table (a view's SELECT, {@code CREATE TABLE x LIKE t}, an event or routine of the same name) are
 * told apart from those that change it. What the reader cannot parse is reported as not understood, with every name
 * it mentions, so the caller can fail closed.
 */
public final class LoggedStatement {

  /** What kind of statement it is, for a follower of row events. */
  public enum Kind {
    /** BEGIN, COMMIT, XA and the like: no table is touched. */
    TRANSACTION,
    /** INSERT, UPDATE, DELETE and the rest logged as text: the rows it changed are not in the binlog. */
    DATA_CHANGE,
    /** DDL: see {@link #targets}. */
    SCHEMA_CHANGE,
    /** Anything else (accounts, privileges, FLUSH): touches no table's rows or definition. */
    OTHER
  }

  /** What a schema change does to a table. */
  public enum Effect {
    /** Alters, drops, renames, truncates, rebuilds or re-creates it, or adds or drops one of its indexes. */
    CHANGES,
    /** Makes something depend on it that a copy-and-swap would break: a trigger on it, a foreign key to it. */
    DEPENDED_ON
  }

  /**
   * One table a schema change affects.
   *
   * @param schema the schema as written, or the event's default schema for an unqualified name (null if neither)
   * @param table the table as written; null for every table of the schema ({@code DROP DATABASE})
   */
  public record Target(String schema, String table, Effect effect) {}

  private static final Set<String> TRANSACTION_WORDS = Set.of("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
      "XA", "START");
  private static final Set<String> DATA_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD", "SELECT",
      "DO", "CALL", "WITH", "HANDLER", "VALUES", "TABLE");
  /** Objects whose DDL never changes a table's rows or definition. */
  private static final Set<String> HARMLESS_OBJECTS = Set.of("VIEW", "EVENT", "PROCEDURE", "FUNCTION", "DATABASE",
      "SCHEMA", "USER", "ROLE", "SERVER", "TABLESPACE", "LOGFILE", "INSTANCE", "SEQUENCE", "RESOURCE", "UNDO",
      "PACKAGE", "SPATIAL_REFERENCE", "TRIGGER");

  private final Kind kind;
  private final List<Target> targets;
  private final boolean understood;
  private final Set<String> mentioned;

  private LoggedStatement(Kind kind, List<Target> targets, boolean understood, Set<String> mentioned) {
    this.kind = kind;
    this.targets = List.copyOf(targets);
    this.understood = understood;
    this.mentioned = Set.copyOf(mentioned);
  }

  public Kind kind() {
    return kind;
  }

  /** The tables a schema change changes or makes depend on it; empty for every other kind. */
  public List<Target> targets() {
    return targets;
  }

  /** False when the statement could not be read; {@link #mentionedNames} is then all there is to go by. */
  public boolean understood() {
    return understood;
  }

  /** Every identifier the statement names, unquoted (double-quoted strings too, for ANSI_QUOTES sessions). */
  public Set<String> mentionedNames() {
    return mentioned;
  }

  /**
   * @param defaultSchema the schema the statement ran in (the query event's database), or null
   */
  public static LoggedStatement read(String sql, String defaultSchema) {
    LexedSql lexed;
    try {
      lexed = SqlLexer.lex(sql);
    } catch (SqlSyntaxException e) {
      return notUnderstood(guessKind(sql), wordsOf(sql));
    }
    Set<String> mentioned = new LinkedHashSet<>();
    for (SqlToken t : lexed.tokens()) {
      if (t.isName()) {
        mentioned.add(t.name());
      } else if (t.type() == SqlToken.Type.STRING && t.text().startsWith("\"")) {
        mentioned.add(t.stringValue());
      }
    }
    if (lexed.tokens().isEmpty()) {
      return new LoggedStatement(Kind.OTHER, List.of(), true, mentioned);
    }
    String first = lexed.tokens().get(0).type() == SqlToken.Type.WORD ? lexed.tokens().get(0).upper() : "";
    if (first.equals("SET") && lexed.tokens().size() > 1 && lexed.tokens().get(1).is("STATEMENT")) {
      // MariaDB's SET STATEMENT var=value[, …] FOR <statement>: the statement after FOR is what runs.
      for (int i = 2; i < lexed.tokens().size(); i++) {
        if (lexed.tokens().get(i).is("FOR")) {
          return read(lexed.slice(i + 1, lexed.tokens().size()), defaultSchema);
        }
      }
      return notUnderstood(Kind.SCHEMA_CHANGE, mentioned);
    }
    if (TRANSACTION_WORDS.contains(first)) {
      return new LoggedStatement(Kind.TRANSACTION, List.of(), true, mentioned);
    }
    if (DATA_WORDS.contains(first)) {
      return new LoggedStatement(Kind.DATA_CHANGE, List.of(), true, mentioned);
    }
    try {
      List<Target> targets = new Reader(lexed, defaultSchema).schemaChange(first);
      if (targets == null) {
        return new LoggedStatement(Kind.OTHER, List.of(), true, mentioned);
      }
      return new LoggedStatement(Kind.SCHEMA_CHANGE, targets, true, mentioned);
    } catch (SqlSyntaxException | NotUnderstood e) {
      return notUnderstood(Kind.SCHEMA_CHANGE, mentioned);
    }
  }

  private static LoggedStatement notUnderstood(Kind kind, Set<String> mentioned) {
    return new LoggedStatement(kind, List.of(), false, mentioned);
  }

  private static Kind guessKind(String sql) {
    String first = wordsOf(sql).stream().findFirst().orElse("").toUpperCase(Locale.ROOT);
    return DATA_WORDS.contains(first) ? Kind.DATA_CHANGE : Kind.SCHEMA_CHANGE;
  }

  /** Every run of identifier characters: what a statement the lexer cannot read may name. */
  private static Set<String> wordsOf(String sql) {
    Set<String> words = new LinkedHashSet<>();
    for (String w : sql.split("[^\\p{L}\\p{N}_$\\x{80}-\\x{10FFFF}]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  private static final class NotUnderstood extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotUnderstood() {
      super(null, null, false, false);
    }
  }

  /** Reads one DDL statement's targets; null for statements that are no schema change of a table. */
  private static final class Reader {
    private final TokenCursor c;
    private final String defaultSchema;
    private final List<Target> targets = new ArrayList<>();

    Reader(LexedSql lexed, String defaultSchema) {
      this.c = new TokenCursor(lexed, 0, lexed.tokens().size());
      this.defaultSchema = defaultSchema;
    }

    List<Target> schemaChange(String first) {
      c.next();
      return switch (first) {
        case "ALTER" -> alter();
        case "CREATE" -> create();
        case "DROP" -> drop();
        case "RENAME" -> rename();
        case "TRUNCATE" -> {
          c.accept("TABLE");
          add(Effect.CHANGES);
          yield targets;
        }
        case "OPTIMIZE", "REPAIR" -> {
          c.accept("NO_WRITE_TO_BINLOG");
          c.accept("LOCAL");
          expectTableKeyword();
          nameList(Effect.CHANGES);
          yield targets;
        }
        case "GRANT", "REVOKE", "SET", "FLUSH", "INSTALL", "UNINSTALL", "ANALYZE", "PURGE", "RESET", "CHECKSUM",
            "CACHE", "SHUTDOWN", "KILL", "USE" -> null;
        default -> throw new NotUnderstood();
      };
    }

    private List<Target> alter() {
      while (c.accept("ONLINE") || c.accept("OFFLINE") || c.accept("IGNORE")) {
        // modifiers before TABLE
      }
      if (!c.accept("TABLE")) {
        return harmlessObject();
      }
      add(Effect.CHANGES);
      scanRest(true);
      return targets;
    }

    private List<Target> create() {
      boolean temporary = false;
      while (!c.atEnd()) {
        SqlToken t = c.peek();
        if (t.is("OR") || t.is("REPLACE") || t.is("UNIQUE") || t.is("FULLTEXT") || t.is("SPATIAL")
            || t.is("ONLINE") || t.is("OFFLINE") || t.is("AGGREGATE")) {
          c.next();
        } else if (t.is("TEMPORARY")) {
          temporary = true;
          c.next();
        } else if (t.is("DEFINER") || t.is("ALGORITHM")) {
          skipAssignment();
        } else if (t.is("SQL") && c.peek(1) != null && c.peek(1).is("SECURITY")) {
          c.next();
          c.next();
          c.next();
        } else {
          break;
        }
      }
      if (c.accept("TABLE")) {
        skipIfNotExists();
        if (temporary) {
          c.next(); // a session's own temporary table shadows nothing outside that session
        } else {
          add(Effect.CHANGES);
        }
        scanRest(false);
        return targets;
      }
      if (c.accept("INDEX") || c.accept("KEY")) {
        skipIfNotExists();
        return indexedTable();
      }
      if (c.accept("TRIGGER")) {
        skipIfNotExists();
        readName();
        skipUntil("ON");
        add(Effect.DEPENDED_ON);
        return targets;
      }
      return harmlessObject();
    }

    private List<Target> drop() {
      boolean temporary = c.accept("TEMPORARY");
      if (c.accept("TABLE") || c.accept("TABLES")) {
        skipIfExists();
        if (temporary) {
          return targets;
        }
        nameList(Effect.CHANGES);
        return targets;
      }
      if (c.accept("INDEX") || c.accept("KEY")) {
        skipIfExists();
        return indexedTable();
      }
      if (c.accept("DATABASE") || c.accept("SCHEMA")) {
        skipIfExists();
        targets.add(new Target(c.expectName("a schema name"), null, Effect.CHANGES));
        return targets;
      }
      return harmlessObject();
    }

    private List<Target> rename() {
      if (!c.accept("TABLE") && !c.accept("TABLES")) {
        return harmlessObject();
      }
      skipIfExists();
      do {
        add(Effect.CHANGES);
        c.expect("TO");
        add(Effect.CHANGES);
      } while (c.acceptSymbol(','));
      return targets;
    }

    /** The rest of CREATE or DROP INDEX after IF [NOT] EXISTS: the index name, then the table it is ON. */
    private List<Target> indexedTable() {
      c.expectName("an index name");
      skipUntil("ON");
      add(Effect.CHANGES);
      return targets;
    }

    /** ALTER/CREATE/DROP of an object that is not a table: only a known object kind passes. */
    private List<Target> harmlessObject() {
      while (!c.atEnd() && (c.peek().is("DEFINER") || c.peek().is("ALGORITHM") || c.peek().is("SQL")
          || c.peek().is("OR") || c.peek().is("REPLACE"))) {
        if (c.peek().is("SQL")) {
          c.next();
          c.next();
          c.next();
        } else if (c.peek().is("OR") || c.peek().is("REPLACE")) {
          c.next();
        } else {
          skipAssignment();
        }
      }
      if (c.atEnd()) {
        throw new NotUnderstood();
      }
      String object = c.next().upper();
      if (object.equals("SPATIAL") && c.accept("REFERENCE")) {
        object = "SPATIAL_REFERENCE";
      }
      if (!HARMLESS_OBJECTS.contains(object)) {
        throw new NotUnderstood();
      }
      return null;
    }

    /**
     * The rest of an ALTER TABLE or CREATE TABLE: a foreign key makes its parent depended on; in an ALTER, a rename
     * target and the table a partition is exchanged with are changed too.
     */
    private void scanRest(boolean alter) {
      while (!c.atEnd()) {
        SqlToken t = c.next();
        if (t.is("REFERENCES")) {
          add(Effect.DEPENDED_ON);
        } else if (alter && t.is("WITH") && c.peekIs("TABLE")) {
          c.next();
          add(Effect.CHANGES);
        } else if (alter && t.is("RENAME") && !c.peekIs("COLUMN") && !c.peekIs("INDEX") && !c.peekIs("KEY")) {
          if (!c.accept("TO")) {
            c.accept("AS");
          }
          add(Effect.CHANGES);
        }
      }
    }

    private void nameList(Effect effect) {
      do {
        add(effect);
      } while (c.acceptSymbol(','));
    }

    private void add(Effect effect) {
      String[] name = readName();
      targets.add(new Target(name[0], name[1], effect));
    }

    /** {@code name}, {@code schema.name}, backticked or (ANSI_QUOTES) double-quoted. */
    private String[] readName() {
      String first = oneName();
      if (c.acceptSymbol('.')) {
        return new String[] {first, oneName()};
      }
      return new String[] {defaultSchema, first};
    }

    private String oneName() {
      if (!c.atEnd() && c.peek().type() == SqlToken.Type.STRING && c.peek().text().startsWith("\"")) {
        return c.next().stringValue();
      }
      return c.expectName("a table name");
    }

    private void expectTableKeyword() {
      if (!c.accept("TABLE") && !c.accept("TABLES")) {
        throw new NotUnderstood();
      }
    }

    private void skipIfExists() {
      if (c.peekIs("IF") && c.peek(1) != null && c.peek(1).is("EXISTS")) {
        c.next();
        c.next();
      }
    }

    private void skipIfNotExists() {
      if (c.peekIs("IF") && c.peek(1) != null && c.peek(1).is("NOT")) {
        c.next();
        c.next();
        c.expect("EXISTS");
      }
    }

    private void skipUntil(String keyword) {
      while (!c.atEnd() && !c.peekIs(keyword)) {
        c.next();
      }
      c.expect(keyword);
    }

    /** {@code DEFINER = user@host} or {@code ALGORITHM = x}: the keyword, '=', and the value up to the next word. */
    private void skipAssignment() {
      c.next();
      if (!c.acceptSymbol('=')) {
        throw new NotUnderstood();
      }
      c.next(); // the user (or CURRENT_USER) or the algorithm
      if (c.acceptSymbol('@')) {
        c.next();
      } else if (c.peekIsSymbol('(')) {
        c.next();
        c.acceptSymbol(')');
      }
    }
  }
}
