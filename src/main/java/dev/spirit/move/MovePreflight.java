package dev.spirit.move;

import dev.spirit.binlog.KeyCodec;
import dev.spirit.db.ServerFlavor;
import dev.spirit.error.ErrorCode;
import dev.spirit.error.SpiritException;
import dev.spirit.migration.Preflight;
import dev.spirit.migration.Privileges;
import dev.spirit.table.Identifiers;
import dev.spirit.table.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What a move checks before it changes anything, on both servers. Every problem refuses the run (exit 3) in one line
 * that names the table, the reason and the fix.
 */
final class MovePreflight {
  /** Rename needs ALTER and DROP on the old name, CREATE and INSERT on the new; the MariaDB cutover creates sentries. */
  static final List<String> SOURCE_PRIVILEGES = List.of("ALTER", "CREATE", "DROP", "INSERT", "LOCK TABLES",
      "SELECT");
  static final List<String> TARGET_PRIVILEGES = List.of("ALTER", "CREATE", "DELETE", "DROP", "INDEX", "INSERT",
      "SELECT", "UPDATE");

  private MovePreflight() {}

  static void checkSource(Connection c, ServerFlavor flavor, String schema) throws SQLException {
    Preflight.checkServer("move", flavor, flavor.binlogSettings(c));
    Privileges.check(c, schema, SOURCE_PRIVILEGES, true, "move", "a move's source");
  }

  static void checkTarget(Connection c, String schema) throws SQLException {
    Privileges.check(c, schema, TARGET_PRIVILEGES, false, "move", "a move's target");
  }

  /**
   * The base tables to move, as the server names them: every table of the schema but spirit's own ({@code _spirit_*}),
   * or the ones asked for, each of which must exist.
   */
  static List<String> tables(Connection c, String schema, List<String> asked) throws SQLException {
    List<String> all = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(rs.getString(1));
        }
      }
    }
    List<String> chosen;
    if (asked.isEmpty()) {
      chosen = all.stream().filter(t -> !t.toLowerCase(Locale.ROOT).startsWith("_spirit_")).toList();
    } else {
      TreeSet<String> found = new TreeSet<>();
      List<String> missing = new ArrayList<>();
      for (String name : asked) {
        String match = all.stream().filter(t -> t.equals(name)).findFirst()
            .orElseGet(() -> all.stream().filter(t -> t.equalsIgnoreCase(name)).findFirst().orElse(null));
        if (match == null) {
          missing.add(Identifiers.quote(schema, name));
        } else if (match.toLowerCase(Locale.ROOT).startsWith("_spirit_")) {
          throw Preflight.refuse(ErrorCode.UNSUPPORTED_TABLE, "refusing to move " + Identifiers.quote(schema, match)
              + ": it is one of spirit's own tables; leave it out of --source-tables");
        } else {
          found.add(match);
        }
      }
      if (!missing.isEmpty()) {
        throw new SpiritException(ErrorCode.TABLE_NOT_FOUND, "--source-tables names " + String.join(", ", missing)
            + ", which the source does not have as base tables; check the names");
      }
      chosen = List.copyOf(found);
    }
    if (chosen.isEmpty()) {
      throw Preflight.refuse(ErrorCode.TABLE_NOT_FOUND, "move", "the source schema " + Identifiers.quote(schema)
          + " has no tables to move; nothing was changed");
    }
    return chosen;
  }

  /**
   * A source table spirit can move: a primary key the binlog reader can track, no foreign keys or triggers, and a
   * free {@code <table>_old} name for the cutover.
   */
  static void checkTable(Connection c, TableInfo table) throws SQLException {
    Preflight.checkKeyAndDependencies(c, table, "move", "they would not be moved, and would point at the renamed source",
        "would not be moved to the target");
    new KeyCodec(table); // refuses key types the binlog reader cannot track
    String old = table.name() + "_old";
    if (old.codePointCount(0, old.length()) > Identifiers.MAX_NAME) {
      throw Preflight.refuse(ErrorCode.UNSUPPORTED_TABLE, "refusing to move " + table.quotedName() + ": the cutover"
          + " renames it to " + old + ", which is longer than 64 characters; rename the table first");
    }
    if (TableInfo.exists(c, table.schema(), old)) {
      throw Preflight.refuse(ErrorCode.UNSUPPORTED_TABLE, "refusing to move " + table.quotedName() + ": the cutover"
          + " renames it to " + Identifiers.quote(table.schema(), old) + ", which exists already (an earlier move's"
          + " old table?). Drop or rename " + Identifiers.quote(table.schema(), old) + " first.");
    }
  }
}
