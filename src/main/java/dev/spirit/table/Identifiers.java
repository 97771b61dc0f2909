package dev.spirit.table;

import java.util.Locale;

/** Quoting of MySQL identifiers; every name the tool puts into SQL goes through here. */
public final class Identifiers {
  private Identifiers() {}

  public static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  public static String quote(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /** A regex for a quoted identifier as the server prints it, a doubled backtick standing for one inside it. */
  public static final String QUOTED_PATTERN = "`(?:[^`]|``)+`";

  /** MySQL's and MariaDB's limit on a table name, in characters. */
  public static final int MAX_NAME = 64;

  /**
   * The name of a helper table for {@code table}: {@code _<table><suffix>}. A name that would not fit MySQL's
   * 64-character limit is shortened and given a hash of the whole table name, so that two tables sharing a long
   * prefix never share a helper table.
   */
  public static String helperName(String table, String suffix) {
    int room = MAX_NAME - 1 - suffix.length();
    if (table.codePointCount(0, table.length()) <= room) {
      return "_" + table + suffix;
    }
    String hash = String.format(Locale.ROOT, "%08x", table.hashCode());
    return "_" + prefix(table, room - hash.length() - 1) + "_" + hash + suffix;
  }

  /** The first {@code codePoints} characters of {@code s}, never splitting a surrogate pair. */
  public static String prefix(String s, int codePoints) {
    if (s.codePointCount(0, s.length()) <= codePoints) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, codePoints));
  }
}
