package dev.spirit.statement;

/**
 * A read position over the tokens {@code [from, to)} of a {@link LexedSql}. Each reader works on one clause or one
 * statement, so reading can never run past the clause into the next one.
 */
final class TokenCursor {

  private final LexedSql lexed;
  private final int to;
  private int index;

  TokenCursor(LexedSql lexed, int from, int to) {
    this.lexed = lexed;
    this.index = from;
    this.to = to;
  }

  LexedSql lexed() {
    return lexed;
  }

  int index() {
    return index;
  }

  int end() {
    return to;
  }

  void seek(int newIndex) {
    index = newIndex;
  }

  boolean atEnd() {
    return index >= to;
  }

  SqlToken peek() {
    return peek(0);
  }

  /** The token {@code ahead} places on, or null past the end. */
  SqlToken peek(int ahead) {
    int i = index + ahead;
    return i < to ? lexed.tokens().get(i) : null;
  }

  boolean peekIs(String keyword) {
    return !atEnd() && peek().is(keyword);
  }

  boolean peekIsWord() {
    return !atEnd() && peek().type() == SqlToken.Type.WORD;
  }

  boolean peekIsSymbol(char c) {
    return !atEnd() && peek().isSymbol(c);
  }

  SqlToken next() {
    if (atEnd()) {
      throw new SqlSyntaxException("the clause ends too early" + after());
    }
    return lexed.tokens().get(index++);
  }

  boolean accept(String keyword) {
    if (peekIs(keyword)) {
      index++;
      return true;
    }
    return false;
  }

  boolean acceptSymbol(char c) {
    if (peekIsSymbol(c)) {
      index++;
      return true;
    }
    return false;
  }

  void expect(String keyword) {
    if (!accept(keyword)) {
      throw new SqlSyntaxException("expected " + keyword + found());
    }
  }

  SqlToken expectWord(String what) {
    if (!peekIsWord()) {
      throw new SqlSyntaxException("expected " + what + found());
    }
    return next();
  }

  /** An identifier, plain or backticked, returned unquoted. */
  String expectName(String what) {
    if (atEnd() || !peek().isName()) {
      throw new SqlSyntaxException("expected " + what + found());
    }
    return next().name();
  }

  /** The index of the ')' that closes the '(' at the cursor. */
  int matchingParen() {
    int depth = 0;
    for (int i = index; i < to; i++) {
      SqlToken t = lexed.tokens().get(i);
      if (t.isSymbol('(')) {
        depth++;
      } else if (t.isSymbol(')') && --depth == 0) {
        return i;
      }
    }
    throw new SqlSyntaxException("a parenthesis is not closed" + after());
  }

  /** The text from the cursor to the end of the range. */
  String rest() {
    return lexed.slice(index, to);
  }

  private String found() {
    return atEnd() ? " but the clause ended" + after() : " but found `" + peek().text() + "`";
  }

  private String after() {
    return index > 0 ? " after `" + lexed.tokens().get(Math.min(index, lexed.tokens().size()) - 1).text() + "`" : "";
  }
}
