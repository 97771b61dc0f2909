package dev.spirit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Compares two row lists and, when they differ, says which rows are missing and which are extra. */
public final class RowDiff {
  private RowDiff() {}

  public static void assertSameRows(List<List<String>> actual, List<List<String>> expected) {
    Set<List<String>> missing = new LinkedHashSet<>(expected);
    missing.removeAll(new LinkedHashSet<>(actual));
    Set<List<String>> extra = new LinkedHashSet<>(actual);
    extra.removeAll(new LinkedHashSet<>(expected));
    assertThat(new ArrayList<>(missing)).as("rows missing from the new table (of %d expected)", expected.size())
        .isEmpty();
    assertThat(new ArrayList<>(extra)).as("rows the new table should not have").isEmpty();
    assertThat(actual).as("row order and duplicates").isEqualTo(expected);
  }
}
