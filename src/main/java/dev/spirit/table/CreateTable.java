package dev.spirit.table;

import java.util.ArrayList;
import java.util.List;

/**
 * A table's {@code SHOW CREATE TABLE} text split into its parts: the head line, one element per line (columns,
 * keys, constraints, as the server prints them, without the separating commas) and the closing options.
 */
public record CreateTable(String head, List<String> elements, String tail) {

  /** Parses {@code SHOW CREATE TABLE} output: a head line, one element per line, and the closing options. */
  public static CreateTable parse(String createTable) {
    List<String> lines = List.of(createTable.split("\n"));
    List<String> elements = new ArrayList<>();
    int i = 1;
    for (; i < lines.size() && !lines.get(i).startsWith(")"); i++) {
      String line = lines.get(i).trim();
      elements.add(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
    }
    // The closing line, and any lines after it (a partitioning clause).
    return new CreateTable(lines.get(0), elements, String.join("\n", lines.subList(i, lines.size())));
  }

  /** Plain secondary indexes: not the primary key, not UNIQUE, FULLTEXT or SPATIAL ones. */
  public List<String> secondaryIndexes() {
    return elements.stream().filter(CreateTable::isSecondaryIndex).toList();
  }

  public static boolean isSecondaryIndex(String element) {
    return element.startsWith("KEY ") || element.startsWith("INDEX ");
  }

  public String render(boolean withSecondaryIndexes) {
    List<String> kept = elements.stream().filter(e -> withSecondaryIndexes || !isSecondaryIndex(e)).toList();
    return head + "\n  " + String.join(",\n  ", kept) + "\n" + tail;
  }
}
