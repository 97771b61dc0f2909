package dev.spirit.statement;

import java.util.List;

/**
 * SQL with its comments removed and executable-comment wrappers unwrapped, and the tokens of that text.
 *
 * @param text the comment-free text; every token's offsets point into it
 * @param tokens the tokens in order
 */
record LexedSql(String text, List<SqlToken> tokens) {

  LexedSql {
    tokens = List.copyOf(tokens);
  }

  /** The text from the start of token {@code from} to the end of token {@code toExclusive - 1}, as written. */
  String slice(int from, int toExclusive) {
    if (from >= toExclusive) {
      return "";
    }
    return text.substring(tokens.get(from).start(), tokens.get(toExclusive - 1).end());
  }
}
