package dev.spirit.table;

import java.util.List;

/** An index of a table: its name, whether it is unique, and its columns in key order. */
public record IndexInfo(String name, boolean unique, List<String> columns) {
  public IndexInfo {
    columns = List.copyOf(columns);
  }

  public boolean isPrimary() {
    return name.equals("PRIMARY");
  }
}
