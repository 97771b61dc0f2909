package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads table options ({@code ENGINE=InnoDB ROW_FORMAT=DYNAMIC, DEFAULT CHARSET=utf8mb4}) itself instead of trusting
 * JSQLParser, which returns several of them as opaque text and fails on options separated by spaces. Only options on
 * an explicit allow-list are accepted; each option becomes its own {@link ClauseKind#TABLE_OPTION} clause, so
 * space-separated options are re-joined with commas, which MySQL treats the same.
 */
final class TableOptionReader {

  static final Set<String> ALLOWED = Set.of(
      "ENGINE", "AUTO_INCREMENT", "AVG_ROW_LENGTH", "CHARACTER SET", "CHECKSUM", "COLLATE", "COMMENT",
      "COMPRESSION", "DELAY_KEY_WRITE", "KEY_BLOCK_SIZE", "MAX_ROWS", "MIN_ROWS", "PACK_KEYS", "ROW_FORMAT",
      "STATS_AUTO_RECALC", "STATS_PERSISTENT", "STATS_SAMPLE_PAGES");

  private static final String ALLOWED_LIST = String.join(", ", ALLOWED.stream().sorted().toList());

  private final Refusal refusal;

  TableOptionReader(Refusal refusal) {
    this.refusal = refusal;
  }

  /** True when the tokens at the cursor look like a table option, allowed or not: a known name, or a word then '='. */
  static boolean startsTableOption(TokenCursor cursor) {
    SqlToken first = cursor.peek();
    if (first.type() != SqlToken.Type.WORD) {
      return false;
    }
    if (first.isAny("DEFAULT", "CHARACTER", "CHARSET", "COLLATE") || ALLOWED.contains(first.upper())) {
      return true;
    }
    SqlToken second = cursor.peek(1);
    return second != null && second.isSymbol('=');
  }

  List<AlterClause> read(TokenCursor cursor) {
    List<AlterClause> options = new ArrayList<>();
    while (!cursor.atEnd()) {
      options.add(readOne(cursor));
    }
    return options;
  }

  private AlterClause readOne(TokenCursor cursor) {
    int start = cursor.index();
    boolean isDefault = cursor.accept("DEFAULT");
    String name;
    if (cursor.accept("CHARACTER")) {
      cursor.expect("SET");
      name = "CHARACTER SET";
    } else if (cursor.accept("CHARSET")) {
      name = "CHARACTER SET";
    } else if (cursor.accept("COLLATE")) {
      name = "COLLATE";
    } else {
      name = cursor.expectWord("a table option").upper();
      if (isDefault || !ALLOWED.contains(name)) {
        String shown = (isDefault ? "DEFAULT " : "") + name;
        throw refusal.refuse("table option " + shown + " is not on spirit's allow-list of options it can read ("
            + ALLOWED_LIST + ")", "remove it from the statement, or apply it directly without spirit");
      }
    }
    cursor.acceptSymbol('=');
    if (cursor.atEnd() || cursor.peek().type() == SqlToken.Type.SYMBOL) {
      throw new SqlSyntaxException("table option " + name + " has no value");
    }
    SqlToken value = cursor.next();
    if (name.equals("COMMENT") && value.type() != SqlToken.Type.STRING) {
      throw new SqlSyntaxException("the table COMMENT must be a quoted string");
    }
    String text = cursor.lexed().slice(start, cursor.index());
    return AlterClause.valued(ClauseKind.TABLE_OPTION, text, name, valueOf(value));
  }

  private static String valueOf(SqlToken value) {
    return switch (value.type()) {
      case STRING -> value.stringValue();
      case QUOTED_NAME -> value.name();
      default -> value.text();
    };
  }
}
