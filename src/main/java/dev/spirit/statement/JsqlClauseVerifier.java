package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.create.table.Index;

/**
 * The guard around JSQLParser: every clause spirit read is parsed again, on its own, by JSQLParser, and the two
 * readings must agree on the operation, the names, the column type, FIRST/AFTER, NOT NULL and the key parts.
 *
 * <p>Parsing one clause at a time means an unknown clause cannot swallow the clauses after it (JSQLParser's
 * {@code UNSPECIFIC} capture), and exactly one model must come back per clause. JSQLParser only reads a probe copy
 * of the clause: what the server receives is always the operator's text. The probe differs from that text only where
 * JSQLParser 5.4 is known to fail on valid MySQL: string literals are re-quoted without backslash escapes,
 * {@code IF [NOT] EXISTS} is removed, and an unnamed CONSTRAINT/CHECK gets a placeholder name.
 */
final class JsqlClauseVerifier {

  static final long TIMEOUT_MILLIS = 5_000;
  private static final String PROBE_TABLE = "spirit_probe";
  private static final String PROBE_CONSTRAINT = "spirit_probe_constraint";

  private JsqlClauseVerifier() {}

  static void verifyAll(List<AlterClause> clauses, Refusal refusal) {
    for (AlterClause clause : clauses) {
      verify(clause, refusal);
    }
  }

  static void verify(AlterClause clause, Refusal refusal) {
    switch (clause.kind()) {
      // Read by spirit alone: table options come back opaque from JSQLParser, DROP CHECK fails to parse there,
      // and the rest are refused before verification.
      case TABLE_OPTION, DROP_CHECK, ALGORITHM, LOCK, RENAME_TABLE, ADD_FOREIGN_KEY, DROP_FOREIGN_KEY,
          DROP_PRIMARY_KEY -> {
        return;
      }
      default -> {
        // verified below
      }
    }
    AlterExpression e = parse(clause, refusal);
    String disagreement = disagreement(clause, e);
    if (disagreement != null) {
      throw refusal.refuse("spirit and JSQLParser read clause `" + Refusal.abbreviate(clause.text())
          + "` differently (" + disagreement + "), so spirit cannot be sure what it would run",
          "write the clause in plain MySQL syntax, or run the change without spirit");
    }
  }

  private static AlterExpression parse(AlterClause clause, Refusal refusal) {
    String probe = "ALTER TABLE " + PROBE_TABLE + " " + probeText(clause);
    Statement statement;
    try {
      statement = CCJSqlParserUtil.parse(probe, parser -> parser.withTimeOut(TIMEOUT_MILLIS));
    } catch (JSQLParserException ex) {
      throw refusal.refuse("clause `" + Refusal.abbreviate(clause.text()) + "` could not be parsed: "
          + parserReason(ex), "check the clause's syntax, or run the change without spirit");
    }
    if (!(statement instanceof Alter alter) || alter.getAlterExpressions() == null
        || alter.getAlterExpressions().size() != 1) {
      int n = statement instanceof Alter alter && alter.getAlterExpressions() != null
          ? alter.getAlterExpressions().size() : 0;
      throw refusal.refuse("JSQLParser read " + n + " clauses in `" + Refusal.abbreviate(clause.text())
          + "` where spirit read one, so part of it could be lost", "split the clause at its commas and check each");
    }
    AlterExpression e = alter.getAlterExpressions().get(0);
    if (e.getOperation() == AlterOperation.UNSPECIFIC) {
      throw refusal.refuse("clause `" + Refusal.abbreviate(clause.text()) + "` is opaque to JSQLParser",
          "remove the clause, or run the change without spirit");
    }
    return e;
  }

  /** One line saying why JSQLParser gave up; its own messages run to dozens of lines of expected tokens. */
  static String parserReason(JSQLParserException ex) {
    Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
    if (cause instanceof TimeoutException) {
      return "JSQLParser timed out after " + TIMEOUT_MILLIS + " ms";
    }
    String message = Objects.requireNonNullElse(cause.getMessage(), cause.getClass().getSimpleName());
    String line = message.strip().lines().findFirst().orElse("").strip();
    return "JSQLParser: " + line.replaceFirst("^net\\.sf\\.jsqlparser\\.[\\w.]+: ", "");
  }

  static String probeText(AlterClause clause) {
    LexedSql lexed = SqlLexer.lex(clause.text());
    List<SqlToken> tokens = lexed.tokens();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      SqlToken t = tokens.get(i);
      String gap = lexed.text().substring(i == 0 ? 0 : tokens.get(i - 1).end(), t.start());
      if (clause.conditional() && t.is("IF")) {
        int skip = i + 1 < tokens.size() && tokens.get(i + 1).is("NOT") ? 2 : 1;
        i += skip; // drop IF [NOT] EXISTS
        continue;
      }
      String replacement = t.type() == SqlToken.Type.STRING
          ? "'" + t.stringValue().replace("'", "''") + "'" : t.text();
      if (t.is("CONSTRAINT") && clause.kind() != ClauseKind.ADD_CHECK && i + 1 < tokens.size()
          && tokens.get(i + 1).isAny("PRIMARY", "UNIQUE")) {
        replacement = "";
      } else if (t.is("CHECK") && clause.kind() == ClauseKind.ADD_CHECK) {
        boolean constraintBefore = i > 0 && tokens.get(i - 1).is("CONSTRAINT");
        replacement = (constraintBefore ? PROBE_CONSTRAINT : "CONSTRAINT " + PROBE_CONSTRAINT) + " CHECK";
        if (!constraintBefore && clause.name() != null) {
          replacement = "CHECK"; // already named: CONSTRAINT c CHECK (…)
        }
      }
      out.add(gap + replacement);
    }
    return String.join("", out);
  }

  private static String disagreement(AlterClause c, AlterExpression e) {
    AlterOperation op = e.getOperation();
    return switch (c.kind()) {
      case ADD_COLUMN -> columnDisagreement(c, e, op == AlterOperation.ADD, null);
      case MODIFY_COLUMN -> columnDisagreement(c, e, op == AlterOperation.MODIFY, null);
      case CHANGE_COLUMN -> columnDisagreement(c, e, op == AlterOperation.CHANGE, e.getColumnOldName());
      case DROP_COLUMN -> expect(op == AlterOperation.DROP && e.getIndex() == null, op, "DROP COLUMN",
          c.name(), e.getColumnName());
      case DROP_INDEX -> expect(op == AlterOperation.DROP && e.getIndex() != null, op, "DROP INDEX",
          c.name(), e.getIndex() == null ? null : e.getIndex().getName());
      case DROP_CONSTRAINT -> expect(op == AlterOperation.DROP, op, "DROP CONSTRAINT", c.name(),
          e.getConstraintName());
      case RENAME_COLUMN -> firstOf(expect(op == AlterOperation.RENAME, op, "RENAME COLUMN", c.name(),
          e.getColumnName()), sameName("old name", c.oldName(), e.getColumnOldName()));
      case RENAME_INDEX -> firstOf(expect(op == AlterOperation.RENAME_INDEX || op == AlterOperation.RENAME_KEY, op,
          "RENAME INDEX", c.name(), e.getIndex() == null ? null : e.getIndex().getName()),
          sameName("old name", c.oldName(), e.getOldIndex() == null ? null : e.getOldIndex().getName()));
      case ALTER_COLUMN_DEFAULT -> expect(op == AlterOperation.ALTER, op, "ALTER COLUMN",
          c.name(), e.getColumnSetDefaultList() == null ? c.name() : e.getColumnSetDefaultList().get(0).getColumnName());
      case COLUMN_VISIBILITY -> expect(op == AlterOperation.ALTER && e.getColumnSetVisibilityList() != null, op,
          "ALTER COLUMN … SET VISIBLE/INVISIBLE", c.name(),
          e.getColumnSetVisibilityList() == null ? null : e.getColumnSetVisibilityList().get(0).getColumnName());
      case INDEX_VISIBILITY -> expect(op == AlterOperation.ALTER && e.getIndex() != null, op, "ALTER INDEX",
          c.name(), e.getIndex() == null ? null : e.getIndex().getName());
      case ALTER_CHECK -> expect(op == AlterOperation.ALTER && "CHECK".equalsIgnoreCase(e.getConstraintType()), op,
          "ALTER CHECK", c.name(), e.getConstraintSymbol());
      case ADD_INDEX, ADD_UNIQUE, ADD_FULLTEXT, ADD_SPATIAL, ADD_PRIMARY_KEY -> indexDisagreement(c, e);
      case ADD_CHECK -> op == AlterOperation.ADD && e.getIndex() != null && e.getColDataTypeList() == null
          && e.toString().toUpperCase(Locale.ROOT).contains("CHECK") ? null : "JSQLParser read " + op;
      case CONVERT_CHARSET -> op == AlterOperation.CONVERT ? null : "JSQLParser read " + op;
      case FORCE -> op == AlterOperation.FORCE ? null : "JSQLParser read " + op;
      case PARTITION_BY -> op == AlterOperation.PARTITION_BY ? null : "JSQLParser read " + op;
      case PARTITION_REMOVE -> op == AlterOperation.REMOVE_PARTITIONING ? null : "JSQLParser read " + op;
      case PARTITION_ADD -> op == AlterOperation.ADD_PARTITION ? null : "JSQLParser read " + op;
      case PARTITION_COALESCE -> op == AlterOperation.COALESCE_PARTITION ? null : "JSQLParser read " + op;
      case PARTITION_DROP -> partitionDisagreement(c, e, AlterOperation.DROP_PARTITION);
      case PARTITION_TRUNCATE -> partitionDisagreement(c, e, AlterOperation.TRUNCATE_PARTITION);
      case PARTITION_REORGANIZE -> partitionDisagreement(c, e, AlterOperation.REORGANIZE_PARTITION);
      default -> "spirit does not verify " + c.kind();
    };
  }

  private static String columnDisagreement(AlterClause c, AlterExpression e, boolean opMatches, String jsqlOldName) {
    if (!opMatches) {
      return "JSQLParser read " + e.getOperation() + " where spirit read " + c.kind();
    }
    List<AlterExpression.ColumnDataType> columns = e.getColDataTypeList();
    if (columns == null || columns.size() != 1) {
      return "JSQLParser read " + (columns == null ? 0 : columns.size()) + " column definitions";
    }
    AlterExpression.ColumnDataType column = columns.get(0);
    ColumnDefinition mine = c.column();
    String typeWord = firstWord(column.getColDataType().getDataType());
    String myTypeWord = firstWord(mine.type().text());
    List<String> specs = column.getColumnSpecs() == null ? List.of() : column.getColumnSpecs();
    boolean jsqlNotNull = containsPair(specs, "NOT", "NULL");
    boolean serial = c.text().toUpperCase(Locale.ROOT).contains("SERIAL");
    return firstOf(
        sameName("column name", c.name(), column.getColumnName()),
        c.kind() == ClauseKind.CHANGE_COLUMN ? sameName("old column name", c.oldName(), jsqlOldName) : null,
        typeWord.equalsIgnoreCase(myTypeWord) ? null : "type " + myTypeWord + " versus " + typeWord,
        jsqlNotNull == mine.notNull() || (serial && mine.notNull()) ? null : "NOT NULL read differently",
        samePosition(mine.position(), specs));
  }

  private static String indexDisagreement(AlterClause c, AlterExpression e) {
    Index index = e.getIndex();
    if (e.getOperation() != AlterOperation.ADD || index == null) {
      return "JSQLParser read " + e.getOperation() + " without an index where spirit read " + c.kind();
    }
    String type = index.getType() == null ? "" : index.getType().toUpperCase(Locale.ROOT);
    boolean typeMatches = switch (c.kind()) {
      case ADD_UNIQUE -> type.startsWith("UNIQUE");
      case ADD_FULLTEXT -> type.startsWith("FULLTEXT");
      case ADD_SPATIAL -> type.startsWith("SPATIAL");
      case ADD_PRIMARY_KEY -> type.startsWith("PRIMARY");
      default -> type.isEmpty() || type.equals("INDEX") || type.equals("KEY");
    };
    List<String> jsqlColumns = index.getColumnsNames() == null ? List.of() : index.getColumnsNames();
    return firstOf(
        typeMatches ? null : "index type " + (type.isEmpty() ? "plain" : type) + " where spirit read " + c.kind(),
        c.kind() == ClauseKind.ADD_PRIMARY_KEY || c.name() == null ? null
            : sameName("index name", c.name(), index.getName()),
        jsqlColumns.size() == c.keyParts().size() ? null
            : jsqlColumns.size() + " key parts where spirit read " + c.keyParts().size());
  }

  private static String partitionDisagreement(AlterClause c, AlterExpression e, AlterOperation expected) {
    if (e.getOperation() != expected) {
      return "JSQLParser read " + e.getOperation() + " where spirit read " + c.kind();
    }
    List<String> jsql = e.getPartitions() == null ? List.of() : e.getPartitions().stream().map(JsqlClauseVerifier::unquote).toList();
    return jsql.equals(c.partitions()) ? null : "partitions " + jsql + " versus " + c.partitions();
  }

  private static String samePosition(ColumnPosition mine, List<String> specs) {
    int after = indexOfIgnoreCase(specs, "AFTER");
    ColumnPosition jsql = specs.stream().anyMatch(s -> s.equalsIgnoreCase("FIRST")) ? ColumnPosition.FIRST
        : after >= 0 && after + 1 < specs.size() ? ColumnPosition.after(unquote(specs.get(after + 1)))
        : ColumnPosition.UNCHANGED;
    return jsql.equals(mine) ? null : "position " + mine + " versus " + jsql;
  }

  private static String expect(boolean opMatches, AlterOperation op, String what, String myName, String jsqlName) {
    if (!opMatches) {
      return "JSQLParser read " + op + " where spirit read " + what;
    }
    return sameName("name", myName, jsqlName);
  }

  private static String sameName(String what, String mine, String jsql) {
    String theirs = jsql == null ? null : unquote(jsql);
    return Objects.equals(mine, theirs) ? null : what + " " + mine + " versus " + theirs;
  }

  private static String firstOf(String... disagreements) {
    for (String d : disagreements) {
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  static String unquote(String name) {
    if (name.length() >= 2 && name.startsWith("`") && name.endsWith("`")) {
      return name.substring(1, name.length() - 1).replace("``", "`");
    }
    return name;
  }

  private static String firstWord(String s) {
    String trimmed = s.strip();
    int end = 0;
    while (end < trimmed.length() && (Character.isLetterOrDigit(trimmed.charAt(end)) || trimmed.charAt(end) == '_')) {
      end++;
    }
    return trimmed.substring(0, end);
  }

  private static boolean containsPair(List<String> specs, String a, String b) {
    for (int i = 0; i + 1 < specs.size(); i++) {
      if (specs.get(i).equalsIgnoreCase(a) && specs.get(i + 1).equalsIgnoreCase(b)) {
        return true;
      }
    }
    return false;
  }

  private static int indexOfIgnoreCase(List<String> specs, String word) {
    for (int i = specs.size() - 1; i >= 0; i--) {
      if (specs.get(i).equalsIgnoreCase(word)) {
        return i;
      }
    }
    return -1;
  }
}
