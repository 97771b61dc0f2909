package dev.spirit.table;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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

  /**
   * The bytes of a utf8mb3 or utf8mb4 value as a string literal that the server reads back as exactly those bytes:
   * plain ASCII as it is, other valid UTF-8 as a {@code _utf8mb4} literal of the decoded text (valid UTF-8 encodes
   * back to the same bytes), anything else as hex. Half the length of hex for text, which the copy builds, encrypts,
   * sends and the server parses.
   */
  public static void appendUtf8(StringBuilder sql, byte[] bytes) {
    if (isPlainAscii(bytes)) {
      sql.append('\'').append(new String(bytes, StandardCharsets.ISO_8859_1)).append('\'');
      return;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      appendHex(sql, bytes);
      return;
    }
    sql.append("_utf8mb4");
    appendQuoted(sql, text);
  }

  /** Printable ASCII without a quote or backslash: text that needs no escaping in a quoted literal. */
  static boolean isPlainAscii(byte[] bytes) {
    for (byte b : bytes) {
      // Bytes above 0x7F are negative, so below the space.
      if (b < 0x20 || b == 0x7F || b == '\'' || b == '\\') {
        return false;
      }
    }
    return true;
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
