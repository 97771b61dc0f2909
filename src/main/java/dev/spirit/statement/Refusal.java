package dev.spirit.statement;

import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;

/**
 * Builds refusal errors. Every message says what is refused (the table, or the statement when no table is known yet),
 * why, and what to do instead, in the shape {@code refusing to migrate `s`.`t`: <reason>; <fix>}.
 */
record Refusal(String subject) {

  private static final int MAX_QUOTED_STATEMENT = 160;

  static Refusal forTable(String schema, String table) {
    return new Refusal("refusing to migrate " + qualified(schema, table));
  }

  static Refusal forStatement(String statement) {
    return new Refusal("refusing statement `" + abbreviate(statement) + "`");
  }

  SpiritException refuse(String reason, String fix) {
    return new SpiritException(ErrorCode.UNSUPPORTED_STATEMENT, subject + ": " + reason + "; " + fix);
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  static String qualified(String schema, String table) {
    return schema == null || schema.isEmpty() ? quote(table) : quote(schema) + "." + quote(table);
  }

  /** One line, at most a few dozen words: long statements would bury the reason. */
  static String abbreviate(String sql) {
    String oneLine = sql.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_QUOTED_STATEMENT ? oneLine : oneLine.substring(0, MAX_QUOTED_STATEMENT) + "…";
  }
}
