package dev.spirit.statement;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the partitioning clauses of ALTER TABLE. Those that change how rows are partitioned are accepted; those that
 * touch another table (EXCHANGE) or only maintain data (ANALYZE, CHECK, OPTIMIZE, REBUILD, REPAIR, DISCARD, IMPORT)
 * are refused, because copying into a shadow table would either lose them or make them meaningless.
 */
final class PartitionClauses {

  private PartitionClauses() {}

  static AlterClause read(TokenCursor c, String text, Refusal refusal) {
    SqlToken operation = c.next();
    String op = operation.upper();
    if (op.equals("PARTITION")) {
      c.expect("BY");
      return AlterClause.of(ClauseKind.PARTITION_BY, text, null);
    }
    if (op.equals("REMOVE")) {
      c.expect("PARTITIONING");
      return ClauseReader.end(c, AlterClause.of(ClauseKind.PARTITION_REMOVE, text, null));
    }
    c.expect("PARTITION");
    switch (op) {
      case "EXCHANGE" -> throw refusal.refuse("EXCHANGE PARTITION swaps rows with another table, which a copy into "
          + "a shadow table cannot reproduce", "run EXCHANGE PARTITION directly, without spirit");
      case "ANALYZE", "CHECK", "OPTIMIZE", "REBUILD", "REPAIR", "DISCARD", "IMPORT" -> throw refusal.refuse(
          op + " PARTITION is partition maintenance, not a schema change", "run it directly, without spirit");
      default -> {
        // DROP, TRUNCATE, COALESCE, REORGANIZE: read below
      }
    }
    if (op.equals("COALESCE")) {
      c.expectWord("the number of partitions to remove");
      return ClauseReader.end(c, AlterClause.of(ClauseKind.PARTITION_COALESCE, text, null));
    }
    List<String> names = names(c);
    if (op.equals("REORGANIZE")) {
      if (!c.atEnd()) {
        c.expect("INTO");
        c.seek(c.end()); // the new partition definitions: checked by JSQLParser
      }
      return AlterClause.partitions(ClauseKind.PARTITION_REORGANIZE, text, names);
    }
    if (names.isEmpty()) {
      throw new SqlSyntaxException(op + " PARTITION needs partition names");
    }
    ClauseKind kind = op.equals("DROP") ? ClauseKind.PARTITION_DROP : ClauseKind.PARTITION_TRUNCATE;
    return ClauseReader.end(c, AlterClause.partitions(kind, text, names));
  }

  private static List<String> names(TokenCursor c) {
    List<String> names = new ArrayList<>();
    while (!c.atEnd() && !c.peekIs("INTO")) {
      names.add(c.expectName("a partition name"));
      if (!c.acceptSymbol(',')) {
        break;
      }
    }
    return names;
  }
}
