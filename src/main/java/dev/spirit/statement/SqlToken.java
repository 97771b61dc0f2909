package dev.spirit.statement;

import java.util.Locale;

/**
 * One lexical token of comment-free SQL. Offsets point into {@link LexedSql#text()}, so a run of tokens can be cut
 * back out of the text exactly as the operator wrote it.
 */
record SqlToken(Type type, String text, int start, int end) {

  enum Type {
    /** An unquoted identifier, keyword or number: MySQL lets identifiers start with digits, so they share a type. */
    WORD,
    /** A backtick-quoted identifier, backticks included in {@link #text()}. */
    QUOTED_NAME,
    /** A single- or double-quoted string literal, quotes included in {@link #text()}. */
    STRING,
    /** Any other single character: parentheses, comma, semicolon, equals sign, dot, operators. */
    SYMBOL
  }

  /** True for an unquoted word equal to {@code keyword}, ignoring case; a backticked name is never a keyword. */
  boolean is(String keyword) {
    return type == Type.WORD && text.equalsIgnoreCase(keyword);
  }

  boolean isAny(String... keywords) {
    for (String k : keywords) {
      if (is(k)) {
        return true;
      }
    }
    return false;
  }

  boolean isSymbol(char c) {
    return type == Type.SYMBOL && text.charAt(0) == c;
  }

  boolean isName() {
    return type == Type.WORD || type == Type.QUOTED_NAME;
  }

  String upper() {
    return text.toUpperCase(Locale.ROOT);
  }

  /** The identifier this token names: backticks removed and doubled backticks undone. */
  String name() {
    if (type == Type.QUOTED_NAME) {
      return text.substring(1, text.length() - 1).replace("``", "`");
    }
    return text;
  }

  /** The value of a string literal, with MySQL's default backslash escapes and doubled quotes undone. */
  String stringValue() {
    char quote = text.charAt(0);
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < text.length() - 1; i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() - 1) {
        char n = text.charAt(++i);
        switch (n) {
          case '0' -> sb.append('\0');
          case 'b' -> sb.append('\b');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'Z' -> sb.append('\u001A');
          // MySQL keeps the backslash for \% and \_ so LIKE patterns survive.
          case '%', '_' -> sb.append('\\').append(n);
          default -> sb.append(n);
        }
      } else if (c == quote && i + 1 < text.length() - 1 && text.charAt(i + 1) == quote) {
        sb.append(quote);
        i++;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
