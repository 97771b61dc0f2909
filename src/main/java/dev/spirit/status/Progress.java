package dev.spirit.status;

/**
 * A snapshot of a run's progress.
 *
 * @param done rows copied (copy) or checked (checksum) so far
 * @param total the estimated rows in the table
 * @param pending changed rows waiting to be applied
 * @param applied changed rows applied so far
 */
public record Progress(Phase phase, long done, long total, long pending, long applied) {}
