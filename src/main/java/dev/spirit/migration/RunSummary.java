package dev.spirit.migration;

import dev.spirit.checksum.ChecksumResult;
import dev.spirit.status.Phase;
import dev.spirit.status.ProgressReporter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** What a run tells the operator at its end, and the status line's note on the slowest table of several. */
final class RunSummary {
  private RunSummary() {}

  /**
   * The result line, each copied table's rows and changes, the checksum and the time of every phase.
   *
   * @param copied the tables copied; empty when the server made the change directly
   */
  static String of(String quotedTables, FastPath.Path path, List<TableMigration> copied, ChecksumResult checksum,
      ProgressReporter reporter) {
    StringBuilder sb = new StringBuilder("spirit: migrated " + quotedTables + " by " + path.describe() + " in "
        + ProgressReporter.format(reporter.elapsed()));
    for (TableMigration t : copied) {
      sb.append(String.format(Locale.ROOT, "%n  %srows copied %,d; changed rows refreshed %,d, left to the copy %,d",
          copied.size() == 1 ? "" : t.quoted() + ": ", t.rowsCopied(), t.applier().applied(),
          t.applier().discarded()));
    }
    if (!copied.isEmpty()) {
      sb.append(String.format(Locale.ROOT,
          "%n  checksum: %,d rows in %,d chunks, %d repaired, %d pass(es), clean", checksum.rowsChecked(),
          checksum.chunksChecked(), checksum.chunksRepaired(), checksum.passes()));
    }
    sb.append("\n  phases:");
    reporter.phaseTimes().forEach((p, d) -> {
      if (p != Phase.DONE) {
        sb.append(' ').append(p.label()).append(' ').append(ProgressReporter.format(d)).append(',');
      }
    });
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  /**
   * How long the application's writes were held at the checksum's start and at the cutover, and what became of the
   * old tables.
   *
   * @param lockedMillis the cutover's hold, or -1 when it is not known
   * @param keptOldTables the old tables kept, quoted; empty when they were dropped
   */
  static String holdsAndOldTables(String quotedTables, ChecksumResult checksum, long lockedMillis,
      List<String> keptOldTables) {
    return "  checksum start: writes to " + quotedTables + " blocked for " + checksum.longestWriteHoldMillis()
        + " ms (reads went on)\n  cutover: writes to " + quotedTables + " blocked for "
        + (lockedMillis < 0 ? "an unknown time (the session was lost after the swap)" : lockedMillis + " ms")
        + "\n  old table" + (keptOldTables.size() > 1 ? "s: " : ": ")
        + (keptOldTables.isEmpty() ? "dropped" : "kept as " + String.join(", ", keptOldTables));
  }

  /** The table whose copy is least far along: it decides when the copy ends. */
  static String slowestTable(List<TableMigration> all) {
    TableMigration slowest = all.stream().min(Comparator.comparingDouble(TableMigration::copyFraction)).orElseThrow();
    return String.format(Locale.ROOT, "slowest %s %.1f%%", slowest.quoted(), slowest.copyFraction() * 100);
  }
}
