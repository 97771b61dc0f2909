package dev.spirit.table;

/**
 * Values written into statement text: byte strings as hex literals, which carry any bytes and need no escaping, and
 * text as quoted strings escaped the way {@code mysql_real_escape_string} escapes them for a server whose sql_mode
 * has no NO_BACKSLASH_ESCAPES (spirit's sessions pin theirs).
 */
public final class SqlLiterals {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SqlLiterals() {}

  /** {@code X'…'}: the bytes as they are, read by the server as a binary string. */
  public static void appendHex(StringBuilder sql, byte[] bytes) {
    // One append of the whole literal: appending it a character at a time was the copy's largest CPU cost.
    char[] literal = new char[3 + 2 * bytes.length];
    literal[0] = 'X';
    literal[1] = '\'';
    int at = 2;
    for (byte b : bytes) {
      literal[at++] = HEX[(b >> 4) & 0xF];
      literal[at++] = HEX[b & 0xF];
    }
    literal[at] = '\'';
    sql.append(literal);
  }

  /** {@code '…'} with NUL, quotes, backslash, newline, carriage return and Ctrl-Z escaped. */
  public static void appendQuoted(StringBuilder sql, String text) {
    sql.append('\'');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case 0 -> sql.append("\\0");
        case '\'' -> sql.append("\\'");
        case '"' -> sql.append("\\\"");
        case '\\' -> sql.append("\\\\");
        case '\n' -> sql.append("\\n");
        case '\r' -> sql.append("\\r");
        case 26 -> sql.append("\\Z");
        default -> sql.append(c);
      }
    }
    sql.append('\'');
  }
}
