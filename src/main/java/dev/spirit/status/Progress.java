package dev.spirit.status;

import java.util.List;

/**
 * A snapshot of a run's progress.
 *
 * @param done rows copied (copy) or checked (checksum) so far
 * @param total the estimated rows in the table
 * @param pending changed rows waiting to be applied
 * @param applied changed rows applied so far
 * @param note what else the phase wants said (the sentinel's location and readiness while waiting), or null
 * @param throttled why the copy is paused now (replica lag, or lag that cannot be seen), or null
 * @param sentinel the sentinel gate's location and readiness, or null before the run has one
 * @param tables each table's copy (empty before the tables are known)
 * @param checked rows the checksum has compared so far, in its phase and after it
 */
public record Progress(Phase phase, long done, long total, long pending, long applied, String note, String throttled,
    Sentinel sentinel, List<Table> tables, long checked) {

  /**
   * The readiness gate: where its table is, what this run's row says ({@code none} without {@code --defer-cutover},
   * {@code copying}, {@code ready}, {@code unavailable}, {@code released}), and how long it has waited for release.
   */
  public record Sentinel(String location, String readiness, Long waitingSeconds) {}

  /** One table's copy: rows copied against its estimate. */
  public record Table(String name, long copied, long estimated) {}

  public Progress {
    tables = List.copyOf(tables);
  }

  public Progress(Phase phase, long done, long total, long pending, long applied, String note) {
    this(phase, done, total, pending, applied, note, null, null, List.of(), 0);
  }

  public Progress(Phase phase, long done, long total, long pending, long applied) {
    this(phase, done, total, pending, applied, null);
  }
}
