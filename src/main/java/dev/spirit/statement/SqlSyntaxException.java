package dev.spirit.statement;

/**
 * Input spirit's own reader cannot make sense of. Internal: {@link StatementParser} turns it into a refusal that
 * quotes the statement.
 */
final class SqlSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SqlSyntaxException(String message) {
    super(message);
  }
}
