package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits MySQL text into tokens while removing comments, in one pass so that comment markers inside strings and
 * backticks are never mistaken for comments.
 *
 * <p>Executable comments ({@code /*! … *}{@code /}, {@code /*!50100 … *}{@code /}, MariaDB's {@code /*M!100100 … *}{@code /})
 * are unwrapped and their content kept, because the server runs that content; JSQLParser would drop it silently.
 * The version number is not compared with any server version: the content is always treated as part of the statement.
 * Ordinary comments ({@code /* *}{@code /}, {@code #}, {@code -- }) become a single space so that neighbouring tokens
 * stay apart.
 */
final class SqlLexer {

  private final String sql;
  private final StringBuilder out = new StringBuilder();
  private final List<SqlToken> tokens = new ArrayList<>();
  /** Where each token starts in the operator's text, which {@link #statements} cuts. */
  private final List<Integer> sourceStarts = new ArrayList<>();
  private int pos;
  private boolean inExecutableComment;

  private SqlLexer(String sql) {
    this.sql = sql;
  }

  static LexedSql lex(String sql) {
    SqlLexer lexer = new SqlLexer(sql);
    lexer.run();
    return new LexedSql(lexer.out.toString(), lexer.tokens);
  }

  /**
   * The operator's own text of each statement, cut at every {@code ;} token. The cut is made in the original text,
   * not the comment-free one, because each piece is kept verbatim (comments included) for resume; a semicolon inside
   * a string, a backticked name or an ordinary comment is not a token, so it never cuts. A piece without tokens (only
   * blanks or comments between semicolons) is left out.
   */
  static List<String> statements(String sql) {
    SqlLexer lexer = new SqlLexer(sql);
    lexer.run();
    List<String> pieces = new ArrayList<>();
    int from = 0;
    boolean hasToken = false;
    for (int i = 0; i < lexer.tokens.size(); i++) {
      int at = lexer.sourceStarts.get(i);
      if (lexer.tokens.get(i).isSymbol(';')) {
        if (hasToken) {
          pieces.add(sql.substring(from, at));
        }
        from = at + 1;
        hasToken = false;
      } else {
        hasToken = true;
      }
    }
    if (hasToken) {
      pieces.add(sql.substring(from));
    }
    return pieces;
  }

  private void run() {
    int n = sql.length();
    while (pos < n) {
      char c = sql.charAt(pos);
      if (Character.isWhitespace(c)) {
        out.append(c);
        pos++;
      } else if (c == '/' && peek(1) == '*') {
        comment();
      } else if (c == '*' && peek(1) == '/' && inExecutableComment) {
        inExecutableComment = false;
        pos += 2;
        out.append(' ');
      } else if (c == '#') {
        skipToEndOfLine();
      } else if (c == '-' && peek(1) == '-' && (pos + 2 >= n || isSpaceOrControl(sql.charAt(pos + 2)))) {
        // MySQL needs whitespace after "--"; "a--1" is a minus a negative number.
        skipToEndOfLine();
      } else if (c == '`') {
        quoted('`', SqlToken.Type.QUOTED_NAME, false);
      } else if (c == '\'' || c == '"') {
        quoted(c, SqlToken.Type.STRING, true);
      } else if (isWordChar(c)) {
        int end = pos;
        while (end < n && isWordChar(sql.charAt(end))) {
          end++;
        }
        emit(SqlToken.Type.WORD, end);
      } else {
        emit(SqlToken.Type.SYMBOL, pos + 1);
      }
    }
    if (inExecutableComment) {
      throw new SqlSyntaxException("an executable comment /*! … is not closed with */");
    }
  }

  private void comment() {
    if (peek(2) == '!' || (peek(2) == 'M' && peek(3) == '!')) {
      if (inExecutableComment) {
        throw new SqlSyntaxException("executable comments /*! … */ cannot be nested");
      }
      pos += peek(2) == '!' ? 3 : 4;
      skipVersionNumber();
      inExecutableComment = true;
      out.append(' ');
      return;
    }
    int close = sql.indexOf("*/", pos + 2);
    if (close < 0) {
      throw new SqlSyntaxException("a comment /* … is not closed with */");
    }
    pos = close + 2;
    out.append(' ');
  }

  /** MySQL reads five digits after "/*!", or six when a sixth digit is followed by whitespace (9.x style). */
  private void skipVersionNumber() {
    int digits = 0;
    while (pos + digits < sql.length() && Character.isDigit(sql.charAt(pos + digits))) {
      digits++;
    }
    if (digits >= 6 && (pos + 6 >= sql.length() || Character.isWhitespace(sql.charAt(pos + 6)))) {
      pos += 6;
    } else if (digits >= 5) {
      pos += 5;
    }
  }

  private void skipToEndOfLine() {
    while (pos < sql.length() && sql.charAt(pos) != '\n') {
      pos++;
    }
    out.append(' ');
  }

  private void quoted(char quote, SqlToken.Type type, boolean backslashEscapes) {
    int i = pos + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          emit(type, i + 1);
          return;
        }
      } else {
        i++;
      }
    }
    String what = type == SqlToken.Type.STRING ? "string literal" : "backtick-quoted name";
    throw new SqlSyntaxException("a " + what + " starting with " + quote + " is not closed");
  }

  private void emit(SqlToken.Type type, int end) {
    int start = out.length();
    out.append(sql, pos, end);
    tokens.add(new SqlToken(type, sql.substring(pos, end), start, out.length()));
    sourceStarts.add(pos);
    pos = end;
  }

  private char peek(int ahead) {
    int i = pos + ahead;
    return i < sql.length() ? sql.charAt(i) : '\0';
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
  }

  private static boolean isSpaceOrControl(char c) {
    return Character.isWhitespace(c) || Character.isISOControl(c);
  }
}
