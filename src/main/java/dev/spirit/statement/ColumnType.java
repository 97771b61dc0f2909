package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A column's data type, read from a column definition or from {@code information_schema.COLUMNS.COLUMN_TYPE}.
 *
 * @param text the type as written, e.g. {@code enum('a','b')} or {@code int unsigned}
 * @param name the lower-case base type with MySQL's synonyms folded ({@code integer} → {@code int},
 *     {@code character varying} → {@code varchar}, {@code bool} → {@code tinyint}), so rules compare like with like
 * @param values the member values of an ENUM or SET, unquoted; empty for every other type
 */
public record ColumnType(String text, String name, List<String> values) {

  private static final Set<String> STRING_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext",
      "longtext", "tinyblob", "blob", "mediumblob", "longblob", "binary", "varbinary");

  public ColumnType {
    values = List.copyOf(values);
  }

  /**
   * Parses a COLUMN_TYPE string such as {@code enum('x','y')} or {@code decimal(10,2) unsigned}.
   *
   * @throws IllegalArgumentException when the text is not a column type
   */
  public static ColumnType parse(String columnType) {
    try {
      LexedSql lexed = SqlLexer.lex(columnType);
      TokenCursor cursor = new TokenCursor(lexed, 0, lexed.tokens().size());
      ColumnType type = read(cursor);
      if (!cursor.atEnd()) {
        throw new SqlSyntaxException("unexpected `" + cursor.peek().text() + "` after `" + type.text() + "`");
      }
      return type;
    } catch (SqlSyntaxException e) {
      throw new IllegalArgumentException("unreadable column type `" + columnType + "`: " + e.getMessage(), e);
    }
  }

  public boolean isEnum() {
    return name.equals("enum");
  }

  public boolean isSet() {
    return name.equals("set");
  }

  /** CHAR, VARCHAR, the TEXT and BLOB families, BINARY and VARBINARY: where ENUM and SET values may go as text. */
  public boolean isCharacterOrBinaryString() {
    return STRING_TYPES.contains(name);
  }

  /** Reads a data type at the cursor: the base words, an optional argument list and UNSIGNED/SIGNED/ZEROFILL. */
  static ColumnType read(TokenCursor cursor) {
    int first = cursor.index();
    SqlToken head = cursor.expectWord("a column type");
    String base = head.text().toLowerCase(Locale.ROOT);
    if (base.equals("national") && cursor.peekIsWord()) {
      base = cursor.next().text().toLowerCase(Locale.ROOT);
    }
    if (base.equals("double") && cursor.accept("PRECISION")) {
      base = "double";
    } else if ((base.equals("character") || base.equals("char")) && cursor.accept("VARYING")) {
      base = "varchar";
    } else if (base.equals("long") && cursor.peekIsWord() && cursor.peek().isAny("VARCHAR", "VARBINARY")) {
      base = cursor.next().is("VARCHAR") ? "mediumtext" : "mediumblob";
    } else if (base.equals("long")) {
      base = "mediumtext";
    }
    List<String> values = new ArrayList<>();
    if (cursor.peekIsSymbol('(')) {
      int close = cursor.matchingParen();
      if (base.equals("enum") || base.equals("set")) {
        values = memberValues(cursor, close);
      }
      cursor.seek(close + 1);
    }
    while (cursor.peekIsWord() && cursor.peek().isAny("UNSIGNED", "SIGNED", "ZEROFILL")) {
      cursor.next();
    }
    String text = cursor.lexed().slice(first, cursor.index());
    return new ColumnType(text, canonical(base), values);
  }

  private static List<String> memberValues(TokenCursor cursor, int close) {
    List<String> values = new ArrayList<>();
    int i = cursor.index() + 1;
    List<SqlToken> tokens = cursor.lexed().tokens();
    while (i < close) {
      SqlToken t = tokens.get(i);
      if (t.type() != SqlToken.Type.STRING) {
        throw new SqlSyntaxException("ENUM and SET values must be quoted strings, found `" + t.text() + "`");
      }
      values.add(t.stringValue());
      i++;
      if (i < close && !tokens.get(i++).isSymbol(',')) {
        throw new SqlSyntaxException("ENUM and SET values must be separated by commas");
      }
    }
    return values;
  }

  private static String canonical(String base) {
    return switch (base) {
      case "integer" -> "int";
      case "bool", "boolean" -> "tinyint";
      case "dec", "numeric", "fixed" -> "decimal";
      case "real" -> "double";
      case "character", "nchar" -> "char";
      case "nvarchar" -> "varchar";
      case "serial" -> "bigint";
      default -> base;
    };
  }
}
