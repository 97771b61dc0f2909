/**
 * What holds the row copy back: the lag of the primary's replicas ({@code --replica-dsn}).
 *
 * <p>Owns: {@link dev.spirit.throttle.Throttler}, the one question the copier asks before every range;
 * {@link dev.spirit.throttle.ReplicaLagThrottler}, which measures every replica in the background through its
 * flavour's {@link dev.spirit.db.ReplicaLag} and answers from the latest figures; {@link dev.spirit.throttle.Replicas},
 * which checks the replicas before anything changes and again before the cutover.
 *
 * <p>Invariants: only the copy is throttled, never applying changes, the checksum or the cutover. A replica that is
 * not replicating, or whose lag has not been measured for 15 s, counts as lagging (fail closed). A replica that cannot
 * be watched is refused before any change, naming the grant or the state; one found stopped before the cutover stops
 * the run with the original tables in place and its state kept for a resume.
 */
package dev.spirit.throttle;
