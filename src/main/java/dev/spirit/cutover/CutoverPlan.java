package dev.spirit.cutover;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.binlog.BinlogSubscription;
import dev.spirit.db.Database;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableDefinition;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * What a cutover swaps, all in one schema and all at once: for every {@link Swap}, {@code table} becomes
 * {@code oldName} and {@code newTable} becomes {@code table}, after {@code drain} has made every pair equal under the
 * lock.
 *
 * @param definitions each table's definition as the run read it when it started ({@link TableDefinition}); under the
 *     lock each must still be the same, or a change that never reached the binlog would be swapped away
 * @param afterRenameIssued fault-injection point for tests: called with the lock-holding session's connection id
 *     once the rename has been issued and nothing but releasing the lock remains; a no-op in production
 */
public record CutoverPlan(Database database, String schema, List<Swap> swaps, ChangeDrain drain,
    BinlogSubscription binlog, Map<String, String> definitions, LockedStep beforeRename,
    LongConsumer afterRenameIssued) {

  /**
   * One table of the cutover: its name, its new table's, and the name the old table gets. A swap without a new table
   * retires the table: it is renamed away and nothing takes its name (a move, whose new tables are on another server).
   */
  public record Swap(String table, String newTable, String oldName) {
    public static Swap retire(String table, String oldName) {
      return new Swap(table, null, oldName);
    }

    public boolean retires() {
      return newTable == null;
    }
  }

  /**
   * Work that must happen while writers are locked out and every change is applied, and before the rename: for a move,
   * the target's AUTO_INCREMENT and the operator's traffic switch. A {@link RuntimeException} from it ends the cutover
   * with nothing renamed and no further attempt.
   */
  @FunctionalInterface
  public interface LockedStep {
    void run(Connection lockHolder) throws SQLException;

    static LockedStep none() {
      return c -> { };
    }
  }

  public CutoverPlan {
    swaps = List.copyOf(swaps);
    definitions = Map.copyOf(definitions);
    if (swaps.isEmpty()) {
      throw new IllegalArgumentException("a cutover needs at least one table");
    }
  }

  public CutoverPlan(Database database, String schema, List<Swap> swaps, ChangeDrain drain,
      BinlogSubscription binlog, Map<String, String> definitions) {
    this(database, schema, swaps, drain, binlog, definitions, LockedStep.none(), id -> { });
  }

  /** A cutover of one table. */
  public CutoverPlan(Database database, String schema, String table, String newTable, String oldName,
      ChangeDrain drain, BinlogSubscription binlog, Map<String, String> definitions, LongConsumer afterRenameIssued) {
    this(database, schema, List.of(new Swap(table, newTable, oldName)), drain, binlog, definitions,
        LockedStep.none(), afterRenameIssued);
  }

  /** A cutover of one table. */
  public CutoverPlan(Database database, String schema, String table, String newTable, String oldName,
      ChangeDrain drain, BinlogSubscription binlog, Map<String, String> definitions) {
    this(database, schema, table, newTable, oldName, drain, binlog, definitions, id -> { });
  }

  /** The swapped tables, quoted and listed, for messages. */
  String tables() {
    return swaps.stream().map(s -> quoted(s.table())).collect(Collectors.joining(", "));
  }

  /**
   * The last step before the rename, with writers locked out: the definitions are checked, the last changes are
   * applied, and every new table's AUTO_INCREMENT is raised to its source's, so ids handed out (even to rows deleted
   * since) are never handed out again after the swap.
   *
   * @param c a connection that may write the new tables and read the sources while the sources are locked
   * @return how many changed keys were refreshed
   */
  int finishUnderLock(Connection c) throws SQLException, InterruptedException {
    verifyDefinitions(c);
    int refreshed = drain.drainUnderLock(c);
    for (Swap swap : swaps) {
      if (swap.retires()) {
        continue;
      }
      long next = TableInfo.autoIncrement(c, schema, swap.table());
      if (next > 1 && next > TableInfo.autoIncrement(c, schema, swap.newTable())) {
        String alter = "ALTER TABLE " + quoted(swap.newTable()) + " AUTO_INCREMENT = " + next;
        binlog.expectOwnStatement(alter);
        try (Statement s = c.createStatement()) {
          s.execute(alter);
        }
      }
    }
    beforeRename.run(c);
    return refreshed;
  }

  private void verifyDefinitions(Connection c) throws SQLException {
    for (Map.Entry<String, String> e : definitions.entrySet()) {
      String now = TableDefinition.read(c, schema, e.getKey());
      if (!now.equals(e.getValue())) {
        throw new SpiritException(ErrorCode.SCHEMA_CHANGED, "the definition of " + quoted(e.getKey())
            + " changed while the run was going on, by a statement that never reached the binlog (sql_log_bin=0);"
            + " swapping now would undo it. Nothing was renamed and " + tables() + (swaps.size() == 1 ? " is" : " are")
            + " as that statement left " + (swaps.size() == 1 ? "it" : "them") + ". Run the migration again. Was: " + e.getValue() + "; now: " + now);
      }
    }
  }

  /** The rename's pairs for the swaps, each table renamed to {@code parking.get(i)}. */
  String renamePairs(List<String> parking) {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < swaps.size(); i++) {
      Swap swap = swaps.get(i);
      pairs.add(quoted(swap.table()) + " TO " + quoted(parking.get(i)));
      if (!swap.retires()) {
        pairs.add(quoted(swap.newTable()) + " TO " + quoted(swap.table()));
      }
    }
    return String.join(", ", pairs);
  }

  String quoted(String name) {
    return Identifiers.quote(schema, name);
  }
}
