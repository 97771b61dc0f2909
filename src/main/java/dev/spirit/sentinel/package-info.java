/**
 * The {@code _spirit_sentinel} cutover gate and its readiness signal, shared by {@code migrate} and {@code move}.
 *
 * <p>Invariants: the sentinel is created only with {@code CREATE TABLE IF NOT EXISTS} and never altered or dropped by
 * spirit; a run's row is {@code copying} before any work and becomes {@code ready} only at the wait point; release is
 * the table's or the run's row's absence, never a status value; a run that exits without cutover marks its row
 * {@code stopped}, best effort; {@code updated_at} is refreshed while the run lives, by a heartbeat of its own that
 * long work at the wait point cannot hold up.
 */
package dev.spirit.sentinel;
