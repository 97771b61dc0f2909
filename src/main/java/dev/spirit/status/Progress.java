package dev.spirit.status;

/**
 * A snapshot of a run's progress.
 *
 * @param done rows copied (copy) or checked (checksum) so far
 * @param total the estimated rows in the table
 * @param pending changed rows waiting to be applied
 * @param applied changed rows applied so far
 * @param note what else the phase wants said (the sentinel's location and readiness while waiting), or null
 */
public record Progress(Phase phase, long done, long total, long pending, long applied, String note) {
  public Progress(Phase phase, long done, long total, long pending, long applied) {
    this(phase, done, total, pending, applied, null);
  }
}
