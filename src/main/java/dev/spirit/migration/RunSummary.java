package dev.spirit.migration;

import dev.spirit.applier.ChangeDrain;
import dev.spirit.checksum.ChecksumResult;
import dev.spirit.checksum.Checksummer;
import dev.spirit.sentinel.SentinelGate;
import dev.spirit.status.Phase;
import dev.spirit.status.Progress;
import dev.spirit.status.ProgressReporter;
import dev.spirit.throttle.Throttler;
import dev.spirit.status.Json;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;

/**
 * What a run tells the operator at its end, and its status line: for a migration, and the parts a move shares (each
 * table's rows and changes, the phase times, the progress figures).
 */
public final class RunSummary {
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
    sb.append(tableLines(copied));
    if (!copied.isEmpty()) {
      sb.append(String.format(Locale.ROOT,
          "%n  checksum: %,d rows in %,d chunks, %d repaired, %d pass(es), clean", checksum.rowsChecked(),
          checksum.chunksChecked(), checksum.chunksRepaired(), checksum.passes()));
    }
    return sb.append(phaseTimes(reporter)).toString();
  }

  /** One line per copied table: rows copied, changed rows refreshed and left to the copy. */
  public static String tableLines(List<? extends CopiedTable> copied) {
    StringBuilder sb = new StringBuilder();
    for (CopiedTable t : copied) {
      sb.append(String.format(Locale.ROOT, "%n  %srows copied %,d; changed rows refreshed %,d, left to the copy %,d",
          copied.size() == 1 ? "" : t.quoted() + ": ", t.rowsCopied(), t.applier().applied(),
          t.applier().discarded()));
    }
    return sb.toString();
  }

  /** The line of every phase's time but the end's. */
  public static String phaseTimes(ProgressReporter reporter) {
    StringBuilder sb = new StringBuilder("\n  phases:");
    reporter.phaseTimes().forEach((p, d) -> {
      if (p != Phase.DONE) {
        sb.append(' ').append(p.label()).append(' ').append(ProgressReporter.format(d)).append(',');
      }
    });
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  /**
   * The status line's figures: rows copied (checked, while the checksum runs) against the estimate, the binlog
   * backlog, the changes applied, and a note (the sentinel's state while waiting; the slowest of several tables
   * while copying).
   */
  public static Progress progress(ProgressReporter reporter, List<? extends CopiedTable> all, Checksummer checksummer,
      ChangeDrain drain, SentinelGate gate, Throttler throttler) {
    if (reporter == null) {
      return null;
    }
    Phase phase = reporter.phase();
    long copied = all.stream().mapToLong(CopiedTable::rowsCopied).sum();
    long done = phase == Phase.CHECKSUM && checksummer != null ? checksummer.rowsChecked() : copied;
    long total = all.stream().mapToLong(CopiedTable::estimatedRows).sum();
    long applied = all.stream().mapToLong(t -> t.applier() == null ? 0 : t.applier().applied()).sum();
    String paused = phase == Phase.COPY ? throttler.reason() : null;
    String note = phase == Phase.WAIT_FOR_RELEASE && gate != null ? gate.statusLine()
        : paused != null ? "copy paused: " + paused
        : phase == Phase.COPY && all.size() > 1 ? slowestTable(all) : null;
    List<Progress.Table> tables = all.stream()
        .map(t -> new Progress.Table(t.quoted(), t.rowsCopied(), t.estimatedRows())).toList();
    return new Progress(phase, done, total, drain == null ? 0 : drain.backlog(), applied, note, paused,
        gate == null ? null : gate.status(), tables, checksummer == null ? 0 : checksummer.rowsChecked());
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

  /**
   * The figures of a completed migration for its machine-readable result: the path, each table's rows and changes,
   * the checksum, how long writes were held, the old tables kept.
   *
   * @param checksum null when the server made the change directly
   * @param lockedMillis the cutover's hold; -1 when there was no cutover or it is not known
   */
  public static Map<String, Object> result(String path, List<? extends CopiedTable> tables, ChecksumResult checksum,
      long lockedMillis, List<String> keptOldTables, Throttler throttler, boolean resumed) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("path", path);
    r.put("resumed", resumed);
    boolean copied = checksum != null;
    r.put("tables", tables.stream().map(t -> (Object) Json.object().put("table", t.quoted())
        .put("rowsCopied", copied ? t.rowsCopied() : 0).put("changesApplied", copied ? t.applier().applied() : 0))
        .toList());
    r.put("rowsCopied", copied ? tables.stream().mapToLong(CopiedTable::rowsCopied).sum() : 0);
    r.put("rowsChecked", copied ? checksum.rowsChecked() : 0);
    r.put("chunksChecked", copied ? checksum.chunksChecked() : 0);
    r.put("chunksRepaired", copied ? checksum.chunksRepaired() : 0);
    r.put("checksumPasses", copied ? checksum.passes() : 0);
    r.put("checksumStartWriteHoldMillis", copied ? checksum.longestWriteHoldMillis() : null);
    r.put("cutoverWriteHoldMillis", lockedMillis < 0 ? null : lockedMillis);
    r.put("oldTablesKept", List.copyOf(keptOldTables));
    r.put("throttledSeconds", throttler.pausedTime().toSeconds());
    return r;
  }

  /** How long the copy waited for replicas, when it did: {@code \n  throttled: copy paused 42 s for replica lag}. */
  public static String throttled(Throttler throttler) {
    long seconds = throttler.pausedTime().toSeconds();
    return throttler.pausedTime().isZero() ? "" : "\n  throttled: copy paused " + seconds + " s for replica lag";
  }

  /** The table whose copy is least far along: it decides when the copy ends. */
  static String slowestTable(List<? extends CopiedTable> all) {
    CopiedTable slowest = all.stream().min(Comparator.comparingDouble(CopiedTable::copyFraction)).orElseThrow();
    return String.format(Locale.ROOT, "slowest %s %.1f%%", slowest.quoted(), slowest.copyFraction() * 100);
  }
}
