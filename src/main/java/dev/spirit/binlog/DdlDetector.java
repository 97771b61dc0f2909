package dev.spirit.binlog;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognises DDL that touches the tables of a running migration. A schema change behind the tool's back (an ALTER,
 * a TRUNCATE, which writes no row events, a RENAME or DROP) would make the copy wrong, so the run must stop.
 */
final class DdlDetector {
  private static final Pattern DDL = Pattern.compile("^(alter|rename|drop|truncate|create|optimize|repair)\\b");
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|--[^\\n]*|#[^\\n]*", Pattern.DOTALL);

  private final List<String> names;
  private final List<Pattern> tables;

  DdlDetector(List<String> tableNames) {
    this.names = List.copyOf(tableNames);
    this.tables = tableNames.stream()
        .map(t -> Pattern.compile("(^|[^a-z0-9_$])" + Pattern.quote(t.toLowerCase(Locale.ROOT)) + "([^a-z0-9_$]|$)"))
        .toList();
  }

  /** The name of the watched table this statement changes, or null. */
  String touchedTable(String sql) {
    String s = COMMENTS.matcher(sql).replaceAll(" ").trim().toLowerCase(Locale.ROOT);
    if (!DDL.matcher(s).find()) {
      return null;
    }
    for (int i = 0; i < tables.size(); i++) {
      if (tables.get(i).matcher(s).find()) {
        return names.get(i);
      }
    }
    return null;
  }
}
