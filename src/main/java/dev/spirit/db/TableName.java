package dev.spirit.db;

/** A table by its schema and name as the server stores them, unquoted. */
public record TableName(String schema, String name) {
  /** {@code `schema`.`name`}, backticks doubled. */
  public String quoted() {
    return quote(schema) + "." + quote(name);
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
