package dev.spirit.statement;

/**
 * Where a column definition places the column: unchanged, {@code FIRST}, or {@code AFTER other}.
 *
 * @param placement which of the three
 * @param afterColumn the column named by AFTER, unquoted; null unless {@code placement == AFTER}
 */
public record ColumnPosition(Placement placement, String afterColumn) {

  public enum Placement {
    UNCHANGED,
    FIRST,
    AFTER
  }

  public static final ColumnPosition UNCHANGED = new ColumnPosition(Placement.UNCHANGED, null);
  public static final ColumnPosition FIRST = new ColumnPosition(Placement.FIRST, null);

  public ColumnPosition {
    if ((placement == Placement.AFTER) != (afterColumn != null)) {
      throw new IllegalArgumentException("afterColumn is given exactly when placement is AFTER");
    }
  }

  public static ColumnPosition after(String column) {
    return new ColumnPosition(Placement.AFTER, column);
  }

  /** True when the clause moves the column (FIRST or AFTER). */
  public boolean reorders() {
    return placement != Placement.UNCHANGED;
  }
}
