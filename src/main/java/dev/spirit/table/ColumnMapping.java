package dev.spirit.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which source column fills which column of the new table: every stored column of the new table that has a source,
 * by equal name (case-insensitive) or through a rename of the ALTER. New columns take their defaults; dropped and
 * generated columns are not moved.
 *
 * @param pairs source column and target column, in the target table's column order
 */
public record ColumnMapping(List<Pair> pairs) {

  public record Pair(Column source, Column target) {}

  public ColumnMapping {
    pairs = List.copyOf(pairs);
  }

  /**
   * @param renames old name to new name, as the ALTER renames columns (keys compared case-insensitively)
   */
  public static ColumnMapping between(TableInfo source, TableInfo target, Map<String, String> renames) {
    return between(source, target, renames, Set.of());
  }

  /**
   * @param recreated columns the ALTER drops and adds again under the same name: the new column takes its default on
   *     every row, as in a native ALTER, so the old values are not copied into it (compared case-insensitively)
   */
  public static ColumnMapping between(TableInfo source, TableInfo target, Map<String, String> renames,
      Set<String> recreated) {
    Map<String, String> newToOld = renames.entrySet().stream().collect(Collectors.toMap(
        e -> e.getValue().toLowerCase(Locale.ROOT), Map.Entry::getKey));
    List<Pair> pairs = new ArrayList<>();
    for (Column t : target.storedColumns()) {
      String sourceName = newToOld.getOrDefault(t.name().toLowerCase(Locale.ROOT), t.name());
      boolean renamedAway = renames.keySet().stream().anyMatch(old -> old.equalsIgnoreCase(sourceName))
          && !newToOld.containsKey(t.name().toLowerCase(Locale.ROOT));
      if (renamedAway) {
        continue; // the source column of this name now lives under another name; this target column is new
      }
      boolean fresh = !newToOld.containsKey(t.name().toLowerCase(Locale.ROOT))
          && recreated.stream().anyMatch(r -> r.equalsIgnoreCase(t.name()));
      if (fresh) {
        continue;
      }
      source.column(sourceName).filter(s -> !s.generated()).ifPresent(s -> pairs.add(new Pair(s, t)));
    }
    return new ColumnMapping(pairs);
  }

  public String sourceList() {
    return pairs.stream().map(p -> p.source().quotedName()).collect(Collectors.joining(", "));
  }

  public String targetList() {
    return pairs.stream().map(p -> p.target().quotedName()).collect(Collectors.joining(", "));
  }
}
