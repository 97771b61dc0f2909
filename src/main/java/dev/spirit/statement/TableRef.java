package dev.spirit.statement;

/**
 * A table name as written in a statement, optionally schema-qualified.
 *
 * @param schema the schema, or null when the name is unqualified
 * @param table the table name, unquoted
 * @param from the first token's index
 * @param to one past the last token's index
 */
record TableRef(String schema, String table, int from, int to) {

  static TableRef read(TokenCursor c) {
    int from = c.index();
    String first = c.expectName("a table name");
    if (c.acceptSymbol('.')) {
      return new TableRef(first, c.expectName("a table name after the schema"), from, c.index());
    }
    return new TableRef(null, first, from, c.index());
  }

  /** The schema the table is in; refuses a qualified name in any schema but {@code --database}. */
  String checkSchema(String defaultSchema, String statement) {
    if (schema != null && !schema.equals(defaultSchema)) {
      throw Refusal.forStatement(statement).refuse("schema name in statement (" + Refusal.qualified(schema, table)
          + ") does not match --database (" + Refusal.quote(defaultSchema) + ")",
          "pass --database " + schema + ", or leave the table name unqualified");
    }
    return defaultSchema;
  }
}
