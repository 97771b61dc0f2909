package dev.spirit.table;

import java.util.Locale;

/**
 * One column as information_schema describes it.
 *
 * @param dataType the bare type in lower case: {@code int}, {@code varchar}, {@code enum}
 * @param columnType the full type: {@code int unsigned}, {@code varchar(20)}, {@code enum('a','b')}
 * @param charset the character set of a text column, else {@code null}
 */
public record Column(String name, int ordinal, String dataType, String columnType, boolean nullable,
    boolean generated, String charset, String collation) {

  public Column {
    dataType = dataType.toLowerCase(Locale.ROOT);
    columnType = columnType.toLowerCase(Locale.ROOT);
  }

  public boolean isInteger() {
    return switch (dataType) {
      case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> true;
      default -> false;
    };
  }

  /** A character string type: CHAR, VARCHAR, the TEXT types, ENUM and SET. */
  public boolean isText() {
    return switch (dataType) {
      case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> true;
      default -> false;
    };
  }

  public boolean isUnsigned() {
    return columnType.contains("unsigned");
  }

  public String quotedName() {
    return Identifiers.quote(name);
  }
}
