package dev.spirit.statement;

import java.util.List;

/**
 * Reads the data type and the attributes spirit's rules need (NOT NULL, FIRST/AFTER, inline keys, generated,
 * REFERENCES) from the tokens of a column definition. Only top-level tokens count: {@code CHECK (a IS NOT NULL)} or
 * {@code DEFAULT (…)} never look like attributes, and string literals are single tokens.
 */
final class ColumnDefinitionReader {

  /** Attributes whose next token is a value (a name, literal or charset) and never an attribute itself. */
  private static final String[] TAKES_VALUE = {
    "DEFAULT", "COMMENT", "COLLATE", "CHARSET", "SET", "CONSTRAINT", "COLUMN_FORMAT", "STORAGE", "SRID",
    "ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE", "UPDATE"
  };
  /**
   * Every other word a column definition may hold. A word outside these lists is refused: JSQLParser accepts any
   * trailing words as column "specs" (it folds {@code ALGORITHM=INPLACE} in there), so it cannot be the check.
   */
  private static final String[] ATTRIBUTES = {
    "NOT", "NULL", "AUTO_INCREMENT", "ON", "GENERATED", "ALWAYS", "AS", "VIRTUAL", "STORED", "PERSISTENT", "VISIBLE",
    "INVISIBLE", "CHECK", "ENFORCED", "CHARACTER", "BINARY", "ASCII", "UNICODE", "BYTE", "COMPRESSED"
  };

  private ColumnDefinitionReader() {}

  /** Reads from the cursor to the end of its range. */
  static ColumnDefinition read(TokenCursor cursor) {
    ColumnType type = ColumnType.read(cursor);
    boolean serial = type.text().regionMatches(true, 0, "serial", 0, 6);
    boolean notNull = serial;
    boolean unique = serial;
    boolean primaryKey = false;
    boolean generated = false;
    boolean references = false;
    ColumnPosition position = ColumnPosition.UNCHANGED;
    List<SqlToken> tokens = cursor.lexed().tokens();
    int depth = 0;
    for (int i = cursor.index(); i < cursor.end(); i++) {
      SqlToken t = tokens.get(i);
      SqlToken next = i + 1 < cursor.end() ? tokens.get(i + 1) : null;
      if (t.isSymbol('(')) {
        depth++;
      } else if (t.isSymbol(')')) {
        depth--;
      } else if (depth > 0) {
        continue;
      } else if (t.is("NOT") && next != null && next.is("NULL")) {
        notNull = true;
        i++;
      } else if (t.is("PRIMARY") || t.is("KEY")) {
        primaryKey = true;
        i += t.is("PRIMARY") && next != null && next.is("KEY") ? 1 : 0;
      } else if (t.is("UNIQUE")) {
        unique = true;
        i += next != null && next.is("KEY") ? 1 : 0;
      } else if (t.is("SERIAL") && next != null && next.is("DEFAULT")) {
        unique = true; // SERIAL DEFAULT VALUE: NOT NULL AUTO_INCREMENT UNIQUE
        notNull = true;
        i += 2;
      } else if (t.is("GENERATED") || (t.is("AS") && next != null && next.isSymbol('('))) {
        generated = true;
      } else if (t.is("FIRST")) {
        position = ColumnPosition.FIRST;
      } else if (t.is("AFTER")) {
        if (next == null || !next.isName()) {
          throw new SqlSyntaxException("AFTER must be followed by a column name");
        }
        position = ColumnPosition.after(next.name());
        i++;
      } else if (t.isAny(TAKES_VALUE) && next != null) {
        i += next.isSymbol('=') ? 1 : 0; // ENGINE_ATTRIBUTE = '…'
        SqlToken value = i + 1 < cursor.end() ? tokens.get(i + 1) : null;
        i += value != null && !value.isSymbol('(') ? 1 : 0;
      } else if (t.is("REFERENCES")) {
        references = true;
        break; // a foreign key: refused whatever follows
      } else if (t.type() == SqlToken.Type.WORD && !t.isAny(ATTRIBUTES) && !Character.isDigit(t.text().charAt(0))) {
        throw new SqlSyntaxException("`" + t.text() + "` is not a column attribute spirit knows");
      } else if (t.type() == SqlToken.Type.QUOTED_NAME) {
        throw new SqlSyntaxException("unexpected name " + t.text() + " in a column definition");
      }
    }
    cursor.seek(cursor.end());
    return new ColumnDefinition(type, notNull, position, primaryKey, unique, generated, references);
  }
}
