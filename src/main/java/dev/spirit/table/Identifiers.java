package dev.spirit.table;

/** Quoting of MySQL identifiers; every name the tool puts into SQL goes through here. */
public final class Identifiers {
  private Identifiers() {}

  public static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  public static String quote(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /**
   * The name of a helper table for {@code table}: {@code _<table><suffix>}, shortened deterministically so it fits
   * MySQL's 64-character limit.
   */
  public static String helperName(String table, String suffix) {
    int room = 64 - 1 - suffix.length();
    String base = table.length() > room ? table.substring(0, room) : table;
    return "_" + base + suffix;
  }
}
