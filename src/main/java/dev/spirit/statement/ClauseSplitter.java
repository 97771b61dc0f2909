package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an ALTER TABLE's clause list at top-level commas. Commas inside parentheses, strings and backticks do not
 * split (the lexer has already made strings and backticked names single tokens, and comments are gone).
 *
 * <p>The one place MySQL uses a top-level comma inside a clause is a partition name list ({@code DROP PARTITION p0,
 * p1}); those continuation pieces are merged back, and only when each is a bare partition name, so an ordinary clause
 * after a partition clause is never swallowed.
 */
final class ClauseSplitter {

  /** Token range {@code [from, to)} of one clause. */
  record Range(int from, int to) {}

  private static final String[] PARTITION_LIST_OPERATIONS = {
    "DROP", "TRUNCATE", "ANALYZE", "CHECK", "OPTIMIZE", "REBUILD", "REPAIR", "DISCARD", "IMPORT", "REORGANIZE"
  };

  private ClauseSplitter() {}

  static List<Range> split(LexedSql lexed, int from, int to) {
    List<Range> pieces = new ArrayList<>();
    int depth = 0;
    int start = from;
    for (int i = from; i < to; i++) {
      SqlToken t = lexed.tokens().get(i);
      if (t.isSymbol('(')) {
        depth++;
      } else if (t.isSymbol(')')) {
        if (--depth < 0) {
          throw new SqlSyntaxException("a `)` has no matching `(`");
        }
      } else if (t.isSymbol(',') && depth == 0) {
        pieces.add(nonEmpty(lexed, start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw new SqlSyntaxException("a parenthesis is not closed");
    }
    pieces.add(nonEmpty(lexed, start, to));
    return mergePartitionLists(lexed, pieces);
  }

  private static Range nonEmpty(LexedSql lexed, int from, int to) {
    if (from >= to) {
      String where = from > 0 ? " near `" + lexed.tokens().get(from - 1).text() + "`" : "";
      throw new SqlSyntaxException("an empty clause between commas" + where);
    }
    return new Range(from, to);
  }

  private static List<Range> mergePartitionLists(LexedSql lexed, List<Range> pieces) {
    List<Range> merged = new ArrayList<>();
    for (Range piece : pieces) {
      Range previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (previous != null && takesPartitionList(lexed, previous) && isPartitionNameContinuation(lexed, piece)) {
        merged.set(merged.size() - 1, new Range(previous.from(), piece.to()));
      } else {
        merged.add(piece);
      }
    }
    return merged;
  }

  private static boolean takesPartitionList(LexedSql lexed, Range r) {
    if (r.to() - r.from() < 3 || !lexed.tokens().get(r.from() + 1).is("PARTITION")) {
      return false;
    }
    SqlToken op = lexed.tokens().get(r.from());
    if (!op.isAny(PARTITION_LIST_OPERATIONS)) {
      return false;
    }
    for (int i = r.from() + 2; i < r.to(); i++) {
      SqlToken t = lexed.tokens().get(i);
      if (!t.isName() && !t.isSymbol(',')) {
        return false; // the list already ended (REORGANIZE … INTO (…), DISCARD … TABLESPACE)
      }
    }
    return !lexed.tokens().get(r.to() - 1).is("TABLESPACE");
  }

  private static boolean isPartitionNameContinuation(LexedSql lexed, Range r) {
    SqlToken first = lexed.tokens().get(r.from());
    if (!first.isName()) {
      return false;
    }
    int length = r.to() - r.from();
    if (length == 1) {
      return true;
    }
    SqlToken second = lexed.tokens().get(r.from() + 1);
    return second.is("INTO") || (length == 2 && second.is("TABLESPACE"));
  }
}
