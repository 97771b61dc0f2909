/**
 * The swap of the original and the new table.
 *
 * <p>Invariants: the table's name always exists (no client sees error 1146); the rename happens only after both
 * definitions are found unchanged and every change up to the lock has been applied under the lock; nothing writes to
 * the old table after the rename; on MariaDB the lock is released only on the server's evidence that the rename is
 * queued on the table, never on a timing; an attempt that fails before its rename leaves the original table in place
 * and in use; any failure after the rename was sent is resolved by reading which tables exist, or stops the run for a
 * human.
 */
package dev.spirit.cutover;
