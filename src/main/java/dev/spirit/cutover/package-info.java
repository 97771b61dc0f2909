/**
 * The swap of the original and the new table.
 *
 * <p>Invariants: the table's name always exists (no client sees error 1146); the rename happens only after every
 * change up to the lock has been applied under the lock; nothing writes to the old table after the rename; an
 * attempt that fails leaves the original table in place and in use; an ambiguous failure is resolved by reading which
 * tables exist, or stops the run for a human.
 */
package dev.spirit.cutover;
