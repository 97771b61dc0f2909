package dev.spirit.cutover;

import java.util.List;

/**
 * How a cutover ended.
 *
 * @param lockedMillis how long the sources were locked against writes; -1 when the session was lost after the swap
 * @param oldTables the names the old tables have now, in the plan's order: each its old name, or its parking name
 *     when renaming it failed
 */
public record CutoverResult(long lockedMillis, List<String> oldTables) {

  public CutoverResult {
    oldTables = List.copyOf(oldTables);
  }

  /** The old table's name, for a cutover of one table. */
  public String oldTable() {
    return oldTables.get(0);
  }
}
