package dev.spirit.migration;

import dev.spirit.db.BinlogSettings;
import dev.spirit.db.ServerFlavor;
import dev.spirit.db.ServerVersion;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.statement.AlterTableStatement;
import dev.spirit.statement.ClauseKind;
import dev.spirit.statement.TableShape;
import dev.spirit.statement.TableShapeRules;
import dev.spirit.table.Column;
import dev.spirit.table.Identifiers;
import dev.spirit.table.Identifiers;
import dev.spirit.table.NameCase;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything checked before the run changes anything. Each failure refuses the run (exit 3) with the table, the
 * reason and the fix.
 */
public final class Preflight {
  private Preflight() {}

  /** @param verb what the run does, for messages: {@code migrate} or {@code move} */
  public static void checkServer(String verb, ServerFlavor flavor, BinlogSettings binlog) {
    ServerVersion v = flavor.version();
    boolean supported = v.mariaDb() ? v.atLeast(10, 6, 0) : v.atLeast(8, 0, 0);
    if (!supported) {
      throw refuse(ErrorCode.UNSUPPORTED_SERVER, verb, "the server is " + v + "; spirit needs MySQL 8.0 or later, or"
          + " MariaDB 10.6 or later");
    }
    List<String> problems = new ArrayList<>();
    if (!binlog.logBinEnabled()) {
      problems.add("log_bin is OFF (start the server with --log-bin)");
    }
    if (!"ROW".equalsIgnoreCase(binlog.format())) {
      problems.add("binlog_format is " + binlog.format() + ", must be ROW (SET GLOBAL binlog_format = 'ROW')");
    }
    if (!"FULL".equalsIgnoreCase(binlog.rowImage())) {
      problems.add("binlog_row_image is " + binlog.rowImage() + ", must be FULL (SET GLOBAL binlog_row_image ="
          + " 'FULL')");
    }
    String valueOptions = binlog.get("binlog_row_value_options");
    if (valueOptions != null && !valueOptions.isBlank()) {
      problems.add("binlog_row_value_options is '" + valueOptions + "', must be empty");
    }
    String compression = binlog.get("binlog_transaction_compression");
    if (compression != null && (compression.equalsIgnoreCase("ON") || compression.equals("1"))) {
      problems.add("binlog_transaction_compression is ON, must be OFF");
    }
    if (BinlogSettings.isOn(binlog.get("log_bin_compress"))) {
      problems.add("log_bin_compress is ON: MariaDB's compressed events cannot be read by spirit's binlog reader"
          + " (SET GLOBAL log_bin_compress = OFF for the run)");
    }
    if (!problems.isEmpty()) {
      throw refuse(ErrorCode.PREFLIGHT_FAILED, verb, "the server's binary log cannot be followed: "
          + String.join("; ", problems));
    }
  }

  /**
   * The tables of one run must be distinct as the server compares names, and none may be another's helper: the
   * shadow, old or checkpoint table of one would be the other table itself.
   */
  static void checkTablesOfOneRun(List<String> tables, NameCase names) {
    for (int i = 0; i < tables.size(); i++) {
      for (int j = i + 1; j < tables.size(); j++) {
        if (names.same(tables.get(i), tables.get(j))) {
          throw refuse(ErrorCode.UNSUPPORTED_STATEMENT, "refusing to migrate `" + tables.get(i) + "` and `"
              + tables.get(j) + "` together: the server takes them for the same table; put all of its clauses in"
              + " one ALTER TABLE");
        }
      }
    }
    if (tables.size() == 1) {
      return;
    }
    for (String table : tables) {
      for (String suffix : List.of("_new", "_old", "_chkpnt")) {
        String helper = Identifiers.helperName(table, suffix);
        for (String other : tables) {
          if (names.same(helper, other)) {
            throw refuse(ErrorCode.UNSUPPORTED_TABLE, "refusing to migrate `" + table + "` and `" + other
                + "` together: spirit names a helper table of `" + table + "` `" + helper + "`, which is the other"
                + " table; migrate them in separate runs");
          }
        }
      }
    }
  }

  static void checkTable(Connection c, TableInfo table, AlterTableStatement statement) throws SQLException {
    checkKeyAndDependencies(c, table, "migrate", "a copy-and-swap would leave them pointing at the old table",
        "would not move to the new table");
    List<TableShape.Column> columns = table.columns().stream()
        .map(col -> new TableShape.Column(col.name(), col.columnType(), col.nullable())).toList();
    TableShapeRules.check(statement, new TableShape(table.schema(), table.name(), columns,
        table.primaryKey().stream().map(Column::name).toList()));
  }

  /**
   * A table spirit can copy: it has a primary key, and no foreign keys or triggers that the copy would leave behind.
   *
   * @param foreignKeysBecause what would become of its foreign keys, for the message
   * @param triggersBecause what would become of its triggers, for the message
   */
  public static void checkKeyAndDependencies(Connection c, TableInfo table, String verb, String foreignKeysBecause,
      String triggersBecause) throws SQLException {
    if (table.primaryKey().isEmpty()) {
      throw refuse(ErrorCode.UNSUPPORTED_TABLE, verb, "table " + table.quotedName() + " has no primary key; spirit copies"
          + " and verifies rows by primary key. Add one first (a blocking ALTER, or a tool that supports it).");
    }
    List<String> foreignKeys = foreignKeys(c, table);
    if (!foreignKeys.isEmpty()) {
      throw refuse(ErrorCode.UNSUPPORTED_TABLE, verb, "table " + table.quotedName() + " takes part in foreign keys ("
          + String.join(", ", foreignKeys) + "); " + foreignKeysBecause + ". Drop the foreign keys first.");
    }
    List<String> triggers = names(c, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS"
        + " WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?", table.schema(), table.name());
    if (!triggers.isEmpty()) {
      throw refuse(ErrorCode.UNSUPPORTED_TABLE, verb, "table " + table.quotedName() + " has triggers ("
          + String.join(", ", triggers) + "), which " + triggersBecause + ". Drop them first and"
          + " re-create them afterwards.");
    }
  }

  private static List<String> foreignKeys(Connection c, TableInfo table) throws SQLException {
    return names(c, "SELECT CONCAT(CONSTRAINT_SCHEMA, '.', TABLE_NAME, '.', CONSTRAINT_NAME)"
        + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE (CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?)"
        + " OR (UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?)",
        table.schema(), table.name(), table.schema(), table.name());
  }

  private static List<String> names(Connection c, String sql, String... args) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  public static SpiritException refuse(ErrorCode code, String message) {
    return refuse(code, "migrate", message);
  }

  /**
   * A refusal before anything changed: {@code refusing to <verb>: <message>}, or the message as it is when it says
   * what it refuses itself ("refusing to move `s`.`t`: …").
   */
  public static SpiritException refuse(ErrorCode code, String verb, String message) {
    return new SpiritException(code, message.startsWith("refusing ") ? message
        : "refusing to " + verb + ": " + message);
  }

  /**
   * After the fast path: a partition DROP or TRUNCATE the server could not do in place must not be copied, because
   * the copy would bring the rows back.
   */
  static void refuseCopyOfPartitionData(AlterTableStatement statement) {
    if (!statement.clausesOf(ClauseKind.PARTITION_DROP).isEmpty()
        || !statement.clausesOf(ClauseKind.PARTITION_TRUNCATE).isEmpty()) {
      throw new SpiritException(ErrorCode.UNSUPPORTED_STATEMENT, "refusing to migrate "
          + Identifiers.quote(statement.schema(), statement.table())
          + ": the server could not drop or truncate the partition in place, and a copy would bring the rows back."
          + " Run the partition change directly when the table is quieter.");
    }
  }
}
