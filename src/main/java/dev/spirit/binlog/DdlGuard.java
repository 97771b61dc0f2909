package dev.spirit.binlog;

import static dev.spirit.error.SpiritException.excerpt;

import dev.spirit.statement.LoggedStatement;
import dev.spirit.statement.LoggedStatement.Target;
import dev.spirit.table.Identifiers;
import dev.spirit.table.NameCase;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Judges the statements other sessions wrote to the binlog as text. A schema change of a watched table (the source
 * or its shadow), or one that makes something depend on it, would make the copy wrong or the swap break it; a data
 * change in statement format lists no rows, so its changes cannot be followed. Both stop the run. A statement that
 * only names a watched table does not, and one the reader cannot parse stops it only if it names one.
 *
 * <p>The run's own statements are exempt by their exact text, each registered just before it is issued, so a failed
 * cutover attempt leaves the guard as strict as before it.
 */
final class DdlGuard {
  private final String schema;
  private final List<String> watched;
  private final NameCase names;
  private final Set<String> own = ConcurrentHashMap.newKeySet();

  DdlGuard(String schema, List<String> watched, NameCase names) {
    this.schema = schema;
    this.watched = List.copyOf(watched);
    this.names = names;
  }

  void expectOwn(String sql) {
    own.add(sql.trim());
  }

  /**
   * Why this statement stops the run, or null when it does not.
   *
   * @param defaultSchema the schema the statement ran in (the query event's database)
   */
  String violation(String sql, String defaultSchema) {
    if (sql == null || own.contains(sql.trim())) {
      return null;
    }
    LoggedStatement statement = LoggedStatement.read(sql, defaultSchema == null || defaultSchema.isEmpty()
        ? null : defaultSchema);
    switch (statement.kind()) {
      case DATA_CHANGE:
        return "a data change in statement format is in the binlog (" + excerpt(sql) + "): the binlog does not"
            + " list the rows it changed, so spirit cannot tell whether it changed " + quoted(watched.get(0))
            + " (directly, or through a view, trigger or function). A session wrote it with binlog_format=STATEMENT"
            + " or MIXED; run the migration again when every session writes binlog_format=ROW";
      case SCHEMA_CHANGE:
        if (!statement.understood()) {
          String named = watched.stream().filter(w -> statement.mentionedNames().stream()
              .anyMatch(n -> names.same(n, w))).findFirst().orElse(null);
          return named == null ? null : "a statement spirit cannot read names " + quoted(named) + " ("
              + excerpt(sql) + "); it may have changed the table's definition";
        }
        for (Target t : statement.targets()) {
          if (t.schema() != null && !names.same(t.schema(), schema)) {
            continue;
          }
          if (t.table() == null) {
            return "the schema " + Identifiers.quote(schema) + " was dropped (" + excerpt(sql) + ")";
          }
          for (String w : watched) {
            if (names.same(t.table(), w)) {
              return quoted(w) + (t.effect() == LoggedStatement.Effect.CHANGES ? " was changed" : " was made a"
                  + " dependency of another object (a trigger on it or a foreign key to it)") + " by another session ("
                  + excerpt(sql) + ")";
            }
          }
        }
        return null;
      default:
        return null;
    }
  }

  private String quoted(String table) {
    return Identifiers.quote(schema, table);
  }
}
